// Command managedgroups prints, one per line, the provider API groups of the
// managed kinds the function's layers compose (ec2, rds…), read from the
// function's registry: hack/schemas.sh gathers those groups' CRDs.
package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fintech-platform/payment-platform/functions/platform/fn"
)

func main() {
	var groups []string
	for _, k := range fn.ManagedKinds() {
		g, _, _ := strings.Cut(k.Group, ".")
		if !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	for _, g := range groups {
		fmt.Println(g)
	}
}
