// Command function-payment-platform is the composition function that turns a
// PaymentPlatform claim, and each of its layer XRs, into AWS managed resources.
package main

import (
	"github.com/alecthomas/kong"

	function "github.com/crossplane/function-sdk-go"

	"github.com/fintech-platform/payment-platform/functions/platform/fn"
)

// CLI of this function.
type CLI struct {
	Debug bool `help:"Emit debug logs in addition to info logs." short:"d"`

	Network            string `default:"tcp"     help:"Network on which to listen for gRPC connections."`
	Address            string `default:":9443"   help:"Address at which to listen for gRPC connections."`
	TLSCertsDir        string `env:"TLS_SERVER_CERTS_DIR" help:"Directory containing server certs (tls.key, tls.crt) and the CA used to verify client certificates (ca.crt)"`
	Insecure           bool   `help:"Run without mTLS credentials. If you supply this flag --tls-server-certs-dir will be ignored."`
	MaxRecvMessageSize int    `default:"4"       help:"Maximum size of received messages in MB."`
}

// Run this function.
func (c *CLI) Run() error {
	log, err := function.NewLogger(c.Debug)
	if err != nil {
		return err
	}
	return function.Serve(&fn.Function{Log: log},
		function.Listen(c.Network, c.Address),
		function.MTLSCertificates(c.TLSCertsDir),
		function.Insecure(c.Insecure),
		function.MaxRecvMessageSize(c.MaxRecvMessageSize*1024*1024))
}

func main() {
	ctx := kong.Parse(&CLI{}, kong.Description("The payment platform's composition function."))
	ctx.FatalIfErrorf(ctx.Run())
}
