package network

import (
	"encoding/binary"
	"net/netip"
	"slices"

	"github.com/fintech-platform/payment-platform/functions/platform/capacity"
	"github.com/fintech-platform/payment-platform/functions/platform/wiring"
)

// SubnetCIDR returns the CIDR block of the subnet of tier in the zone with index
// zone (0, 1, 2). The VPC is cut into 16 blocks; tier t, zone z gets block
// 4t+z, leaving one spare block per tier to grow into.
func SubnetCIDR(vpc netip.Prefix, tier string, zone int) netip.Prefix {
	t := max(slices.Index(wiring.Tiers, tier), 0)
	bits := capacity.SubnetBits(vpc.Bits())
	a := vpc.Addr().As4()
	// Block 4t+zone of 16 (t < 3, zone < 3) of a /16–/24: no overflow.
	block := uint32(4*t+zone) << (32 - bits) //nolint:gosec // 0 ≤ 4t+zone < 16, bits ≤ 28.
	var out [4]byte
	binary.BigEndian.PutUint32(out[:], binary.BigEndian.Uint32(a[:])+block)
	return netip.PrefixFrom(netip.AddrFrom4(out), bits)
}
