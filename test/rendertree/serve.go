package rendertree

import (
	"net"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/grpc"

	"github.com/fintech-platform/payment-platform/functions/platform/fn"
)

// Serve starts the function in this process on a free loopback port, as
// crossplane render's Development runtime expects it (plain gRPC, no TLS), and
// returns its address and a function that stops it.
func Serve() (string, func(), error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := grpc.NewServer()
	fnv1.RegisterFunctionRunnerServiceServer(srv, &fn.Function{})
	go func() { _ = srv.Serve(lis) }()
	return lis.Addr().String(), srv.Stop, nil
}
