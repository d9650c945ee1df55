// Package scan turns what a claim renders into Terraform configuration and
// judges it with a third-party rule set (trivy's AWS checks), so the platform
// is reviewed by rules we did not write.
//
// Every managed resource is decoded into its provider-upjet-aws Go type, whose
// GetTerraformResourceType and GetMergedParameters give the Terraform view of
// it. Reference selectors become Terraform references between the converted
// resources, resolved the way the provider resolves them (which kind and which
// attribute each selector points at is read from the provider's own generated
// resolvers), so a scanner judges linked resources together: a flow log with
// its VPC, security-group rules with their group, a key with what it encrypts.
// The output is HCL written with hclwrite, nested blocks as blocks as the
// provider's Terraform schema says (scanners drop nested blocks from .tf.json).
//
// Findings are compared with a reviewed list of accepted ones (accepted.yaml):
// any other finding, and any acceptance that no longer matches a finding, fails
// make scan.
package scan
