package controlplane

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// A process is one program the control plane started. Each runs in its own
// process group, so stopping it stops whatever it started, and dies with the
// test binary (Pdeathsig) even when the test is killed before its cleanup.
type process struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
	err  error
}

func start(name, logDir string, env []string, bin string, args ...string) (*process, error) {
	logFile := filepath.Join(logDir, name+".log")
	f, err := os.Create(logFile) //nolint:gosec // Under the control plane's own directory.
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...) //nolint:gosec // Binaries the Makefile built, flags of our own.
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("cannot start %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, log: logFile, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		_ = f.Close()
		close(p.done)
	}()
	return p, nil
}

// exited says whether the process has ended, and how.
func (p *process) exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

// stop asks the process group to terminate, and kills it after grace.
func (p *process) stop(grace time.Duration) {
	if done, _ := p.exited(); done {
		return
	}
	pgid := p.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.done
	}
}

// tail returns the last n bytes of the process's log.
func (p *process) tail(n int64) string {
	b, err := os.ReadFile(p.log)
	if err != nil {
		return err.Error()
	}
	if int64(len(b)) > n {
		b = b[int64(len(b))-n:]
	}
	return string(bytes.TrimSpace(b))
}

// waitFor polls ok until it returns true, the process exits, or ctx ends.
func (p *process) waitFor(ctx context.Context, what string, ok func() bool) error {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		if ok() {
			return nil
		}
		if done, err := p.exited(); done {
			return fmt.Errorf("%s exited (%w) before %s:\n%s", p.name, err, what, p.tail(4000))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: no %s: %w:\n%s", p.name, what, ctx.Err(), p.tail(4000))
		case <-t.C:
		}
	}
}

// httpOK returns a probe that is true when url answers 200.
func httpOK(c *http.Client, url string) func() bool {
	return func() bool {
		r, err := c.Get(url) //nolint:noctx // A short-lived probe with the client's timeout.
		if err != nil {
			return false
		}
		_ = r.Body.Close()
		return r.StatusCode == http.StatusOK
	}
}

// listening returns a probe that is true when addr accepts TCP connections.
func listening(addr string) func() bool {
	return func() bool {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return false
		}
		_ = c.Close()
		return true
	}
}

// freePorts reserves n distinct loopback ports. The kernel may hand one out
// again before its process binds it; on loopback in a test that is rare.
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			_ = l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		addr, ok := l.Addr().(*net.TCPAddr)
		if !ok {
			return nil, errors.New("not a TCP address")
		}
		ports = append(ports, addr.Port)
	}
	return ports, nil
}

func tlsClient(cfg *tls.Config) *http.Client {
	return &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: cfg}}
}
