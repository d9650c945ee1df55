package aws_test

import (
	"strings"
	"testing"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
)

// verdict is one rule applied to one value: want "" when AWS accepts it, else
// a piece of the error that says what it breaks.
type verdict struct {
	err  error
	want string
}

func judge(t *testing.T, cases map[string]verdict) {
	t.Helper()
	for name, c := range cases {
		switch {
		case c.want == "" && c.err != nil:
			t.Errorf("%s: %v, want accepted", name, c.err)
		case c.want != "" && c.err == nil:
			t.Errorf("%s: accepted, want an error with %q", name, c.want)
		case c.want != "" && !strings.Contains(c.err.Error(), c.want):
			t.Errorf("%s: %v, want an error with %q", name, c.err, c.want)
		}
	}
}

func i64(n int64) *int64 { return &n }

// TestNameRules_WhatAWSDocuments_X6: each kind of name against the rule AWS
// documents for it, on both sides of every bound.
func TestNameRules_WhatAWSDocuments_X6(t *testing.T) {
	judge(t, map[string]verdict{
		"sg ok":                  {aws.SecurityGroupName("secgroup-nat-prod"), ""},
		"sg sg- prefix":          {aws.SecurityGroupName("sg-nat-prod"), "starts with sg-"},
		"sg SG- prefix":          {aws.SecurityGroupName("SG-nat"), "starts with sg-"},
		"sg 256":                 {aws.SecurityGroupName(strings.Repeat("a", 256)), "256 characters"},
		"sg empty":               {aws.SecurityGroupName(""), "0 characters"},
		"sg character":           {aws.SecurityGroupName("a'b"), "character"},
		"sg description ok":      {aws.SecurityGroupDescription("Payment API tasks: may reach the RDS Proxy (5432)"), ""},
		"sg description unicode": {aws.SecurityGroupDescription("from → to"), "character"},
		"lt ok":                  {aws.LaunchTemplateName("lt-nat-prod"), ""},
		"lt 2":                   {aws.LaunchTemplateName("lt"), "2 characters"},
		"lt 129":                 {aws.LaunchTemplateName(strings.Repeat("a", 129)), "129 characters"},
		"lt character":           {aws.LaunchTemplateName("lt nat"), "character"},
		"lt description":         {aws.LaunchTemplateDescription(strings.Repeat("a", 256)), "256 characters"},
		"lt description ok":      {aws.LaunchTemplateDescription("NAT"), ""},
		"name tag ok":            {aws.NameTag("vpc-payments-prod"), ""},
		"name tag empty":         {aws.NameTag(""), "empty"},
		"name tag 257":           {aws.NameTag(strings.Repeat("a", 257)), "257 characters"},
		"role ok":                {aws.IAMRoleName("role-rdsproxy-prod"), ""},
		"role 65":                {aws.IAMRoleName(strings.Repeat("r", 65)), "65 characters"},
		"role character":         {aws.IAMRoleName("role/x"), "character"},
		"profile ok":             {aws.IAMInstanceProfileName("instanceprofile-nat-prod"), ""},
		"profile 129":            {aws.IAMInstanceProfileName(strings.Repeat("i", 129)), "129 characters"},
		"policy arn aws":         {aws.IAMPolicyARN("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"), ""},
		"policy arn path":        {aws.IAMPolicyARN("arn:aws:iam::123456789012:policy/platform/nat-ssm"), ""},
		"policy arn role":        {aws.IAMPolicyARN("arn:aws:iam::123456789012:role/x"), "not arn:aws:iam"},
		"policy arn partition":   {aws.IAMPolicyARN("arn:aws-cn:iam::aws:policy/x"), "not arn:aws:iam"},
		"path ok":                {aws.IAMPath("/platform/"), ""},
		"path root":              {aws.IAMPath("/"), ""},
		"path no slash":          {aws.IAMPath("platform"), "must be /"},
		"path long":              {aws.IAMPath("/" + strings.Repeat("p", 511) + "/"), "512"},
		"alias ok":               {aws.KMSAliasName("alias/kms-database-prod"), ""},
		"alias no prefix":        {aws.KMSAliasName("kms-database-prod"), "must start with alias/"},
		"alias empty after":      {aws.KMSAliasName("alias/"), "must start with alias/"},
		"alias aws":              {aws.KMSAliasName("alias/aws/rds"), "alias/aws/"},
		"alias character":        {aws.KMSAliasName("alias/a.b"), "character"},
		"alias 257":              {aws.KMSAliasName("alias/" + strings.Repeat("a", 251)), "257 characters"},
		"cluster ok":             {aws.DBClusterIdentifier("aurora-payments-prod"), ""},
		"cluster 64":             {aws.DBClusterIdentifier("a" + strings.Repeat("b", 63)), "64 characters"},
		"cluster digit first":    {aws.DBClusterIdentifier("1aurora"), "start with a letter"},
		"cluster hyphen first":   {aws.DBClusterIdentifier("-aurora"), "start with a letter"},
		"cluster trailing":       {aws.DBClusterIdentifier("aurora-"), "end with a hyphen"},
		"cluster double":         {aws.DBClusterIdentifier("aurora--x"), "two hyphens"},
		"cluster uppercase":      {aws.DBClusterIdentifier("Aurora"), "character"},
		"cluster underscore":     {aws.DBClusterIdentifier("aurora_x"), "character"},
		"instance ok":            {aws.DBInstanceIdentifier("auroradb-payments-us-east-1a-prod"), ""},
		"instance 64":            {aws.DBInstanceIdentifier(strings.Repeat("a", 64)), "64 characters"},
		"snapshot ok":            {aws.DBSnapshotIdentifier("aurora-payments-prod-final"), ""},
		"snapshot 256":           {aws.DBSnapshotIdentifier(strings.Repeat("a", 256)), "256 characters"},
		"parameter group ok":     {aws.DBClusterParameterGroupName("pg-aurora-payments-prod"), ""},
		"parameter group dot":    {aws.DBClusterParameterGroupName("pg.aurora"), "character"},
		"subnet group ok":        {aws.DBSubnetGroupName("dbsubnet-payments-prod"), ""},
		"subnet group spaces":    {aws.DBSubnetGroupName("db subnet_group.x"), ""},
		"subnet group upper":     {aws.DBSubnetGroupName("DbSubnet"), "character"},
		"subnet group default":   {aws.DBSubnetGroupName("default"), "reserved"},
		"subnet group 256":       {aws.DBSubnetGroupName(strings.Repeat("a", 256)), "256 characters"},
		"proxy ok":               {aws.DBProxyName("rdsproxy-payments-prod"), ""},
		"proxy mixed case":       {aws.DBProxyName("RdsProxy"), ""},
		"proxy 61":               {aws.DBProxyName(strings.Repeat("p", 61)), "61 characters"},
		"proxy trailing":         {aws.DBProxyName("proxy-"), "end with a hyphen"},
		"proxy double":           {aws.DBProxyName("a--b"), "two hyphens"},
		"proxy digit first":      {aws.DBProxyName("1proxy"), "start with a letter"},
		"proxy underscore":       {aws.DBProxyName("a_b"), "character"},
		"proxy endpoint ok":      {aws.DBProxyEndpointName("rdsproxy-payments-ro-prod"), ""},
		"proxy endpoint dot":     {aws.DBProxyEndpointName("ro.prod"), "character"},
		"proxy endpoint double":  {aws.DBProxyEndpointName("ro--prod"), "two hyphens"},
		"secret ok":              {aws.SecretName("secret-api-keys-prod"), ""},
		"secret path":            {aws.SecretName("payments/api_keys+x=y.z@w"), ""},
		"secret 513":             {aws.SecretName(strings.Repeat("s", 513)), "513 characters"},
		"secret character":       {aws.SecretName("secret api"), "character"},
		"secret arn-like":        {aws.SecretName("secret-api-keys-abcdef"), "six characters"},
		"log group ok":           {aws.LogGroupName("/aws/rds/cluster/aurora-payments-prod/postgresql"), ""},
		"log group hash":         {aws.LogGroupName("logs-flow#1"), ""},
		"log group aws/":         {aws.LogGroupName("aws/custom"), "starts with aws/"},
		"log group character":    {aws.LogGroupName("logs:x"), "character"},
		"log group 513":          {aws.LogGroupName(strings.Repeat("l", 513)), "513 characters"},
		"bucket ok":              {aws.S3BucketName("s3-documents-prod"), ""},
		"bucket dots":            {aws.S3BucketName("s3.documents.prod"), ""},
		"bucket 2":               {aws.S3BucketName("s3"), "2 characters"},
		"bucket 64":              {aws.S3BucketName(strings.Repeat("b", 64)), "64 characters"},
		"bucket upper":           {aws.S3BucketName("S3-docs"), "character"},
		"bucket hyphen first":    {aws.S3BucketName("-docs"), "start and end"},
		"bucket hyphen last":     {aws.S3BucketName("docs-"), "start and end"},
		"bucket two dots":        {aws.S3BucketName("docs..prod"), "two dots"},
		"bucket IP":              {aws.S3BucketName("192.168.5.4"), "IP address"},
		"bucket xn--":            {aws.S3BucketName("xn--docs"), "xn--"},
		"bucket sthree-":         {aws.S3BucketName("sthree-docs"), "sthree-"},
		"bucket -s3alias":        {aws.S3BucketName("docs-s3alias"), "-s3alias"},
		"bucket --ol-s3":         {aws.S3BucketName("docs--ol-s3"), "--ol-s3"},
		"alb ok":                 {aws.LoadBalancerName("alb-payments-prod"), ""},
		"alb 33":                 {aws.LoadBalancerName(strings.Repeat("a", 33)), "33 characters"},
		"alb internal-":          {aws.LoadBalancerName("internal-payments"), "internal-"},
		"alb leading hyphen":     {aws.LoadBalancerName("-alb"), "start or end with a hyphen"},
		"alb trailing hyphen":    {aws.LoadBalancerName("alb-"), "start or end with a hyphen"},
		"alb underscore":         {aws.LoadBalancerName("alb_x"), "character"},
		"tg ok":                  {aws.TargetGroupName("tg-api-prod"), ""},
		"tg 33":                  {aws.TargetGroupName(strings.Repeat("t", 33)), "33 characters"},
		"lambda ok":              {aws.LambdaFunctionName("fn-processor_prod"), ""},
		"lambda 65":              {aws.LambdaFunctionName(strings.Repeat("f", 65)), "65 characters"},
		"lambda dot":             {aws.LambdaFunctionName("fn.x"), "character"},
		"sqs ok":                 {aws.SQSQueueName("sqs-payments-prod", false), ""},
		"sqs fifo ok":            {aws.SQSQueueName("sqs-payments-prod.fifo", true), ""},
		"sqs fifo suffix std":    {aws.SQSQueueName("sqs-payments.fifo", false), ".fifo"},
		"sqs fifo no suffix":     {aws.SQSQueueName("sqs-payments", true), ".fifo"},
		"sqs 81":                 {aws.SQSQueueName(strings.Repeat("q", 81), false), "81 characters"},
		"sqs fifo 81":            {aws.SQSQueueName(strings.Repeat("q", 76)+".fifo", true), "81 characters"},
		"sqs dot":                {aws.SQSQueueName("sqs.x", false), "character"},
		"sns ok":                 {aws.SNSTopicName("sns-alarms-prod", false), ""},
		"sns 257":                {aws.SNSTopicName(strings.Repeat("t", 257), false), "257 characters"},
		"waf ok":                 {aws.WAFName("waf-api_prod"), ""},
		"waf space":              {aws.WAFName("waf api"), "character"},
		"waf logs group ok":      {aws.WAFLogDestination("arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-api-prod"), ""},
		"waf logs group star":    {aws.WAFLogDestination("arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-api-prod:*"), ""},
		"waf logs group bad":     {aws.WAFLogDestination("arn:aws:logs:us-east-1:123456789012:log-group:logs-waf-prod"), `"logs-waf-prod" must start with aws-waf-logs-`},
		"waf logs firehose":      {aws.WAFLogDestination("arn:aws:firehose:us-east-1:123456789012:deliverystream/aws-waf-logs-x"), ""},
		"waf logs bucket bad":    {aws.WAFLogDestination("arn:aws:s3:::waf-logs"), "aws-waf-logs-"},
	})
}

// TestValueRules_WhatTheCRDsCannotExpress_X6_API07: the value rules, on both
// sides of every bound; 2555 is not a CloudWatch Logs retention, 2557 is.
func TestValueRules_WhatTheCRDsCannotExpress_X6_API07(t *testing.T) {
	judge(t, map[string]verdict{
		"retention 2557":          {aws.LogRetentionDays(2557), ""},
		"retention 1":             {aws.LogRetentionDays(1), ""},
		"retention 2555":          {aws.LogRetentionDays(2555), "2555 days is not one"},
		"retention 0":             {aws.LogRetentionDays(0), "not one"},
		"deletion window 7":       {aws.KMSDeletionWindowDays(7), ""},
		"deletion window 30":      {aws.KMSDeletionWindowDays(30), ""},
		"deletion window 6":       {aws.KMSDeletionWindowDays(6), "outside 7 to 30"},
		"deletion window 31":      {aws.KMSDeletionWindowDays(31), "outside 7 to 30"},
		"rotation 90":             {aws.KMSRotationPeriodDays(90), ""},
		"rotation 2561":           {aws.KMSRotationPeriodDays(2561), "outside 90 to 2560"},
		"key policy ok":           {aws.KMSKeyPolicy(`{"Version":"2012-10-17"}`), ""},
		"key policy not JSON":     {aws.KMSKeyPolicy(`{"Version"`), "not JSON"},
		"key policy 32 KB":        {aws.KMSKeyPolicy(`"` + strings.Repeat("k", 32767) + `"`), "32769 characters"},
		"trust ok":                {aws.IAMTrustPolicy(`{"Version": "2012-10-17"}`), ""},
		"trust spaces free":       {aws.IAMTrustPolicy(`"` + strings.Repeat("t ", 2040) + `"`), ""},
		"trust 2049":              {aws.IAMTrustPolicy(`"` + strings.Repeat("t", 2047) + `"`), "2049 characters"},
		"inline ok":               {aws.IAMInlinePolicies(map[string]string{"connect": `{}`}), ""},
		"inline bad name":         {aws.IAMInlinePolicies(map[string]string{"con nect": `{}`}), "inline policy name"},
		"inline not JSON":         {aws.IAMInlinePolicies(map[string]string{"connect": `{`}), "not JSON"},
		"inline 10241":            {aws.IAMInlinePolicies(map[string]string{"a": `"` + strings.Repeat("p", 5119) + `"`, "b": `"` + strings.Repeat("p", 5118) + `"`}), "10241 characters"},
		"backup 1":                {aws.AuroraBackupRetentionDays(1), ""},
		"backup 35":               {aws.AuroraBackupRetentionDays(35), ""},
		"backup 0":                {aws.AuroraBackupRetentionDays(0), "outside 1 to 35"},
		"backup 36":               {aws.AuroraBackupRetentionDays(36), "outside 1 to 35"},
		"port 5432":               {aws.AuroraPort(5432), ""},
		"port 80":                 {aws.AuroraPort(80), "outside 1150"},
		"window ok":               {aws.BackupWindow("03:00-04:00"), ""},
		"window over midnight":    {aws.BackupWindow("23:45-00:15"), ""},
		"window 29 min":           {aws.BackupWindow("03:00-03:29"), "29 minutes"},
		"window shape":            {aws.BackupWindow("3:00-4:00"), "not hh24:mi"},
		"window hour 24":          {aws.BackupWindow("24:00-01:00"), "not hh24:mi"},
		"class ok":                {aws.AuroraInstanceClass("db.r6g.xlarge"), ""},
		"class t3":                {aws.AuroraInstanceClass("db.t3.medium"), "not one of"},
		"insights 7":              {aws.PerformanceInsightsRetentionDays(7), ""},
		"insights 31":             {aws.PerformanceInsightsRetentionDays(31), ""},
		"insights 713":            {aws.PerformanceInsightsRetentionDays(713), ""},
		"insights 731":            {aws.PerformanceInsightsRetentionDays(731), ""},
		"insights 30":             {aws.PerformanceInsightsRetentionDays(30), "not 7, a month"},
		"insights 744":            {aws.PerformanceInsightsRetentionDays(744), "not 7, a month"},
		"insights 0":              {aws.PerformanceInsightsRetentionDays(0), "not 7, a month"},
		"tier 15":                 {aws.PromotionTier(15), ""},
		"tier 16":                 {aws.PromotionTier(16), "outside 0 to 15"},
		"idle 1800":               {aws.ProxyIdleClientTimeout(1800), ""},
		"idle 0":                  {aws.ProxyIdleClientTimeout(0), "outside 1 to 28800"},
		"pool ok":                 {aws.ConnectionPool(90, 50, 120), ""},
		"pool max 0":              {aws.ConnectionPool(0, 0, 120), "maxConnectionsPercent 0"},
		"pool idle above max":     {aws.ConnectionPool(40, 50, 120), "maxIdleConnectionsPercent 50 is outside 0 to 40"},
		"pool borrow":             {aws.ConnectionPool(90, 50, 3601), "connectionBorrowTimeout"},
		"recovery 0":              {aws.SecretRecoveryWindowDays(0), ""},
		"recovery 7":              {aws.SecretRecoveryWindowDays(7), ""},
		"recovery 3":              {aws.SecretRecoveryWindowDays(3), "outside 7 to 30"},
		"rotation days 30":        {aws.RotationDays(30), ""},
		"rotation days 1001":      {aws.RotationDays(1001), "outside 1 to 1000"},
		"aggregation 600":         {aws.FlowLogAggregationInterval(600), ""},
		"aggregation 60":          {aws.FlowLogAggregationInterval(60), ""},
		"aggregation 300":         {aws.FlowLogAggregationInterval(300), "neither 60 nor 600"},
		"hop limit 1":             {aws.MetadataHopLimit(1), ""},
		"hop limit 65":            {aws.MetadataHopLimit(65), "outside 1 to 64"},
		"user data ok":            {aws.UserData("IyEvYmluL2Jhc2gK"), ""},
		"user data not base64":    {aws.UserData("#!/bin/bash"), "not base64"},
		"user data 16 KB":         {aws.UserData(strings.Repeat("QUJD", 16*1024/3+1)), "16 KB"},
		"region ok":               {aws.Region("ap-southeast-1"), ""},
		"region unknown":          {aws.Region("us-east-9"), "not a commercial AWS region"},
		"vpc ok":                  {aws.VPCCIDR("10.0.0.0/16"), ""},
		"vpc /28":                 {aws.VPCCIDR("10.0.0.0/28"), ""},
		"vpc /15":                 {aws.VPCCIDR("10.0.0.0/15"), "/16 to /28"},
		"vpc /29":                 {aws.VPCCIDR("10.0.0.0/29"), "/16 to /28"},
		"vpc host bits":           {aws.VPCCIDR("10.0.0.1/16"), "host bits"},
		"vpc not CIDR":            {aws.VPCCIDR("10.0.0.0"), "not an IPv4 CIDR"},
		"vpc IPv6":                {aws.VPCCIDR("fd00::/56"), "not an IPv4 CIDR"},
		"vpc this network":        {aws.VPCCIDR("0.0.0.0/16"), "0.0.0.0/8"},
		"vpc loopback":            {aws.VPCCIDR("127.0.0.0/16"), "127.0.0.0/8"},
		"vpc link-local":          {aws.VPCCIDR("169.254.0.0/16"), "169.254.0.0/16"},
		"vpc multicast":           {aws.VPCCIDR("224.0.0.0/16"), "224.0.0.0/3"},
		"vpc class E":             {aws.VPCCIDR("240.0.0.0/16"), "224.0.0.0/3"},
		"subnet ok":               {aws.SubnetCIDR("10.0.0.0/20"), ""},
		"subnet /29":              {aws.SubnetCIDR("10.0.0.0/29"), "/16 to /28"},
		"route ok":                {aws.DestinationCIDR("0.0.0.0/0"), ""},
		"route bad":               {aws.DestinationCIDR("0.0.0.0/33"), "not an IPv4 CIDR"},
		"rule tcp":                {aws.SecurityGroupRule("tcp", i64(5432), i64(5432)), ""},
		"rule tcp range":          {aws.SecurityGroupRule("6", i64(0), i64(65535)), ""},
		"rule tcp no ports":       {aws.SecurityGroupRule("tcp", nil, i64(1)), "needs fromPort and toPort"},
		"rule tcp 65536":          {aws.SecurityGroupRule("udp", i64(1), i64(65536)), "toPort 65536"},
		"rule tcp negative":       {aws.SecurityGroupRule("tcp", i64(-1), i64(1)), "fromPort -1"},
		"rule tcp reversed":       {aws.SecurityGroupRule("tcp", i64(443), i64(80)), "above toPort"},
		"rule all":                {aws.SecurityGroupRule("-1", nil, nil), ""},
		"rule all with ports":     {aws.SecurityGroupRule("-1", i64(0), i64(0)), "set no fromPort"},
		"rule icmp all":           {aws.SecurityGroupRule("icmp", i64(-1), i64(-1)), ""},
		"rule icmp no ports":      {aws.SecurityGroupRule("icmp", nil, nil), ""},
		"rule icmp type 256":      {aws.SecurityGroupRule("icmp", i64(256), i64(0)), "ICMP type 256"},
		"rule protocol number":    {aws.SecurityGroupRule("50", nil, nil), ""},
		"rule protocol name":      {aws.SecurityGroupRule("esp", nil, nil), `protocol "esp"`},
		"rule protocol 256":       {aws.SecurityGroupRule("256", nil, nil), `protocol "256"`},
		"tags ok":                 {aws.Tags(map[string]string{"Name": "vpc-payments-prod", "payments.platform.io/environment": "prod", "Zürich 東京": "a b=c+d:e_f@g", "empty": ""}), ""},
		"tags 51":                 {aws.Tags(manyTags(51)), "51 tags"},
		"tags 50":                 {aws.Tags(manyTags(50)), ""},
		"tag key empty":           {aws.Tags(map[string]string{"": "x"}), "0 characters"},
		"tag key 129":             {aws.Tags(map[string]string{strings.Repeat("k", 129): "x"}), "129 characters"},
		"tag key character":       {aws.Tags(map[string]string{"a#b": "x"}), "tag key \"a#b\" holds a character"},
		"tag key aws:":            {aws.Tags(map[string]string{"AWS:owner": "x"}), "starts with aws:"},
		"tag value 257":           {aws.Tags(map[string]string{"k": strings.Repeat("v", 257)}), "257 characters"},
		"tag value character":     {aws.Tags(map[string]string{"k": "a,b"}), "holds a character"},
		"tag value aws:":          {aws.Tags(map[string]string{"k": "aws:team"}), "starts with aws:"},
		"tag value emoji":         {aws.Tags(map[string]string{"k": "💳"}), "holds a character"},
		"tag value 256 ok":        {aws.Tags(map[string]string{"k": strings.Repeat("é", 256)}), ""},
		"tag key 128 unicode ok":  {aws.Tags(map[string]string{strings.Repeat("ü", 128): ""}), ""},
		"tag key and value wrong": {aws.Tags(map[string]string{"aws:x": "aws:y"}), "value \"aws:y\""},
	})
}

func manyTags(n int) map[string]string {
	t := map[string]string{}
	for i := range n {
		t[strings.Repeat("k", i+1)] = "v"
	}
	return t
}

// obj builds a managed resource as a decoded YAML document: forProvider
// parameters, and an external name unless it is "".
func obj(external string, params map[string]any) map[string]any {
	o := map[string]any{"spec": map[string]any{"forProvider": params}}
	if external != "" {
		o["metadata"] = map[string]any{"annotations": map[string]any{"crossplane.io/external-name": external}}
	}
	return o
}

// TestCheck_ReadsTheFieldThatNamesEachKind_X6: Check finds each kind's name
// where the provider takes it from (external name, name parameter, Name tag),
// reads values of every shape a decoder gives, names the field of every
// violation, and knows no kind it has no rules for.
func TestCheck_ReadsTheFieldThatNamesEachKind_X6(t *testing.T) {
	const (
		ec2 = "ec2.aws.m.upbound.io"
		rds = "rds.aws.m.upbound.io"
	)
	rule := map[string]any{"ipProtocol": "tcp", "fromPort": 5432.0, "toPort": int64(5432), "description": "PostgreSQL",
		"referencedSecurityGroupIdSelector": map[string]any{}, "region": "us-east-1"}
	cases := map[string]struct {
		group, kind string
		obj         map[string]any
		want        []string // a piece of each error, in order
	}{
		"sg named sg-": {ec2, "SecurityGroup", obj("", map[string]any{"name": "sg-x", "region": "us-east-1"}),
			[]string{"spec.forProvider.name: security group name \"sg-x\" starts with sg-"}},
		"sg without name": {ec2, "SecurityGroup", obj("", map[string]any{"region": "us-east-1"}),
			[]string{"spec.forProvider.name: no security group name"}},
		"sg name not a string": {ec2, "SecurityGroup", obj("", map[string]any{"name": 3.0}),
			[]string{"spec.forProvider.name: is float64, not a string"}},
		"log group 2555": {"cloudwatchlogs.aws.m.upbound.io", "Group", obj("/aws/rds/cluster/a/postgresql", map[string]any{"retentionInDays": 2555.0, "region": "us-east-1"}),
			[]string{"spec.forProvider.retentionInDays: log retention 2555 days"}},
		"log group without name": {"cloudwatchlogs.aws.m.upbound.io", "Group", obj("", map[string]any{"retentionInDays": 2557}),
			[]string{"metadata.annotations[crossplane.io/external-name]: no log group name"}},
		"retention not whole": {"cloudwatchlogs.aws.m.upbound.io", "Group", obj("logs-x", map[string]any{"retentionInDays": 7.5}),
			[]string{"retentionInDays: 7.5 is not a whole number"}},
		"retention as text": {"cloudwatchlogs.aws.m.upbound.io", "Group", obj("logs-x", map[string]any{"retentionInDays": "7"}),
			[]string{"retentionInDays: 7 is not a whole number"}},
		"alias ok": {"kms.aws.m.upbound.io", "Alias", obj("alias/kms-database-prod", map[string]any{"region": "eu-west-1"}), nil},
		"key": {"kms.aws.m.upbound.io", "Key", obj("", map[string]any{"deletionWindowInDays": 31, "tags": map[string]any{"Name": "kms-x", "AWS:team": "x"}}),
			[]string{"spec.forProvider.tags: tag key \"AWS:team\" starts with aws:", "deletionWindowInDays: KMS deletion window (days) 31"}},
		"key without Name tag": {"kms.aws.m.upbound.io", "Key", obj("", map[string]any{"tags": map[string]any{"team": "x"}}),
			[]string{"spec.forProvider.tags.Name: no Name tag"}},
		"tags not a map":       {ec2, "VPC", obj("", map[string]any{"tags": []any{"x"}}), []string{"tags: is []interface {}, not a map", "tags.Name: no Name tag"}},
		"tag value not string": {ec2, "VPC", obj("", map[string]any{"tags": map[string]any{"Name": "vpc-x", "n": 1.0}}), []string{"tag n is float64, not a string"}},
		"region unknown":       {ec2, "RouteTableAssociation", obj("", map[string]any{"region": "us-east-9"}), []string{"spec.forProvider.region: region \"us-east-9\""}},
		"region null":          {ec2, "RouteTableAssociation", obj("", map[string]any{"region": nil}), nil},
		"no spec at all":       {ec2, "Route", map[string]any{"spec": "x"}, nil},
		"route":                {ec2, "Route", obj("", map[string]any{"destinationCidrBlock": "0.0.0.0/0"}), nil},
		"subnet in other region's zone": {ec2, "Subnet", obj("", map[string]any{"region": "us-east-1", "availabilityZone": "us-west-2a", "cidrBlock": "10.0.0.0/20", "tags": map[string]any{"Name": "subnet-x"}}),
			[]string{"spec.forProvider: availabilityZone \"us-west-2a\" is not a zone of region \"us-east-1\""}},
		"forProvider not an object": {ec2, "Subnet", map[string]any{"spec": map[string]any{"forProvider": "x"}},
			[]string{"spec.forProvider.tags.Name: no Name tag", "spec.forProvider: is string, not an object"}},
		"endpoint other region": {ec2, "VPCEndpoint", obj("", map[string]any{"region": "us-east-1", "serviceName": "com.amazonaws.us-west-2.s3", "tags": map[string]any{"Name": "vpce-x"}}),
			[]string{"serviceName \"com.amazonaws.us-west-2.s3\" is not com.amazonaws.us-east-1.<service>"}},
		"endpoint ok": {ec2, "VPCEndpoint", obj("", map[string]any{"region": "us-east-1", "serviceName": "com.amazonaws.us-east-1.s3", "tags": map[string]any{"Name": "vpce-x"}}), nil},
		"rule ok":     {ec2, "SecurityGroupIngressRule", obj("", rule), nil},
		"rule two peers": {ec2, "SecurityGroupEgressRule", obj("", map[string]any{"ipProtocol": "-1", "cidrIpv4": "0.0.0.0/0", "prefixListIdRef": map[string]any{}, "description": "all → anywhere"}),
			[]string{"security group description \"all → anywhere\" holds a character AWS does not allow (only letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*)\na rule names exactly one of cidrIpv4, cidrIpv6, prefixListId, referencedSecurityGroupId; this one 2"}},
		"launch template": {ec2, "LaunchTemplate", obj("", map[string]any{"name": "lt-nat-prod", "userData": "IyEvYmluL2Jhc2gK", "metadataOptions": map[string]any{"httpPutResponseHopLimit": 2}, "description": "NAT"}), nil},
		"role": {"iam.aws.m.upbound.io", "Role", obj("role-x", map[string]any{"assumeRolePolicy": "{}", "path": "/", "inlinePolicy": []any{map[string]any{"name": "a", "policy": "{"}}}),
			[]string{"spec.forProvider.inlinePolicy: inline policy a is not JSON"}},
		"instance profile":  {"iam.aws.m.upbound.io", "InstanceProfile", obj("instanceprofile-nat-prod", map[string]any{"path": "/"}), nil},
		"policy attachment": {"iam.aws.m.upbound.io", "RolePolicyAttachment", obj("", map[string]any{"policyArn": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"}), nil},
		"role inline not a list": {"iam.aws.m.upbound.io", "Role", obj("role-x", map[string]any{"inlinePolicy": "x"}),
			[]string{"inlinePolicy: is string, not a list"}},
		"cluster": {rds, "Cluster", obj("aurora-payments-prod", map[string]any{"engine": "aurora-postgresql", "engineVersion": "16.6", "backupRetentionPeriod": 35, "port": 5432, //nolint:gosec // G101 takes a cluster's settings for credentials.
			"preferredBackupWindow": "03:00-04:00", "finalSnapshotIdentifier": "aurora-payments-prod-final", "region": "us-east-1"}), nil},
		"cluster engine": {rds, "Cluster", obj("aurora-payments-prod", map[string]any{"engine": "aurora-mysql"}), []string{"engine \"aurora-mysql\""}},
		"cluster version": {rds, "Cluster", obj("Aurora", map[string]any{"engine": "aurora-postgresql", "engineVersion": "16.99"}),
			[]string{"metadata.annotations[crossplane.io/external-name]: DB cluster identifier \"Aurora\"", "engineVersion \"16.99\""}},
		"instance": {rds, "ClusterInstance", obj("auroradb-payments-us-east-1a-prod", map[string]any{"instanceClass": "db.r6g.xlarge", "performanceInsightsRetentionPeriod": 7,
			"promotionTier": 0, "availabilityZone": "us-east-1a", "region": "us-east-1"}), nil},
		"proxy pool defaults": {rds, "ProxyDefaultTargetGroup", obj("", map[string]any{"connectionPoolConfig": map[string]any{"maxConnectionsPercent": 40}}),
			[]string{"maxIdleConnectionsPercent 50 is outside 0 to 40"}},
		"proxy pool not an object": {rds, "ProxyDefaultTargetGroup", obj("", map[string]any{"connectionPoolConfig": []any{}}),
			[]string{"connectionPoolConfig: is []interface {}, not an object"}},
		"proxy":          {rds, "Proxy", obj("rdsproxy-payments-prod", map[string]any{"idleClientTimeout": 1800}), nil},
		"proxy endpoint": {rds, "ProxyEndpoint", obj("rdsproxy-payments-ro-prod", nil), nil},
		"proxy target":   {rds, "ProxyTarget", obj("", map[string]any{"dbClusterIdentifier": "aurora-x-"}), []string{"must not end with a hyphen"}},
		"subnet group":   {rds, "SubnetGroup", obj("dbsubnet-payments-prod", nil), nil},
		"param group":    {rds, "ClusterParameterGroup", obj("pg-aurora-payments-prod", nil), nil},
		"secret":         {"secretsmanager.aws.m.upbound.io", "Secret", obj("", map[string]any{"name": "secret-api-keys-prod", "recoveryWindowInDays": 7}), nil},
		"rotation":       {"secretsmanager.aws.m.upbound.io", "SecretRotation", obj("", map[string]any{"rotationRules": map[string]any{"automaticallyAfterDays": 30}}), nil},
		"flow log":       {ec2, "FlowLog", obj("", map[string]any{"maxAggregationInterval": 600, "tags": map[string]any{"Name": "fl-vpc-prod"}}), nil},
		"bucket":         {"s3.aws.m.upbound.io", "Bucket", obj("s3-documents-prod", nil), nil},
		"lb":             {"elbv2.aws.m.upbound.io", "LB", obj("", map[string]any{"name": "internal-x"}), []string{"internal-"}},
		"tg":             {"elbv2.aws.m.upbound.io", "LBTargetGroup", obj("", map[string]any{"name": "tg-x"}), nil},
		"lambda":         {"lambda.aws.m.upbound.io", "Function", obj("fn-x", nil), nil},
		"queue fifo":     {"sqs.aws.m.upbound.io", "Queue", obj("", map[string]any{"name": "sqs-x.fifo", "fifoQueue": true}), nil},
		"queue standard .fifo": {"sqs.aws.m.upbound.io", "Queue", obj("", map[string]any{"name": "sqs-x.fifo"}),
			[]string{"spec.forProvider: SQS queue name \"sqs-x.fifo\": only a FIFO one"}},
		"queue without name": {"sqs.aws.m.upbound.io", "Queue", obj("", map[string]any{"fifoQueue": true}), []string{"spec.forProvider: no name"}},
		"topic fifo":         {"sns.aws.m.upbound.io", "Topic", obj("sns-x.fifo", map[string]any{"fifoTopic": true}), nil},
		"topic standard .fifo": {"sns.aws.m.upbound.io", "Topic", obj("sns-x.fifo", nil),
			[]string{"metadata.annotations[crossplane.io/external-name]: SNS topic name"}},
		"topic without name": {"sns.aws.m.upbound.io", "Topic", obj("", nil), []string{"metadata.annotations[crossplane.io/external-name]: no topic name"}},
		"web acl":            {"wafv2.aws.m.upbound.io", "WebACL", obj("", map[string]any{"name": "waf-api-prod"}), nil},
		"waf logging": {"wafv2.aws.m.upbound.io", "WebACLLoggingConfiguration", obj("", map[string]any{"logDestinationConfigs": []any{
			"arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-x", "arn:aws:logs:us-east-1:123456789012:log-group:logs-waf-x", 3.0}}),
			[]string{"logDestinationConfigs: [1]: WAF log destination \"arn:aws:logs:us-east-1:123456789012:log-group:logs-waf-x\": its name \"logs-waf-x\" must start with aws-waf-logs-\n[2]: is float64, not a string"}},
		"waf logging not a list": {"wafv2.aws.m.upbound.io", "WebACLLoggingConfiguration", obj("", map[string]any{"logDestinationConfigs": "x"}),
			[]string{"is string, not a list"}},
	}
	for name, c := range cases {
		errs, known := aws.Check(c.group, c.kind, c.obj)
		if !known {
			t.Errorf("%s: %s.%s unknown", name, c.kind, c.group)
			continue
		}
		if len(errs) != len(c.want) {
			t.Errorf("%s: errors %v, want %d: %q", name, errs, len(c.want), c.want)
			continue
		}
		for i, err := range errs {
			if !strings.Contains(err.Error(), c.want[i]) {
				t.Errorf("%s: error %d is %q, want it to hold %q", name, i, err, c.want[i])
			}
		}
	}
	if errs, known := aws.Check("ec2.aws.m.upbound.io", "NATGateway", obj("", nil)); known || errs != nil {
		t.Errorf("a kind without rules is known: %v", errs)
	}
	if errs, known := aws.Check("ec2.aws.m.upbound.io", "Route", map[string]any{"spec": map[string]any{"forProvider": map[string]any{"region": "us-east-1"}}}); !known || errs != nil {
		t.Errorf("Route: %v %v", errs, known)
	}
}

// TestKinds_OneEntryPerKind_X6: the table lists each kind once, as
// Kind.group of the provider's namespaced API groups, sorted.
func TestKinds_OneEntryPerKind_X6(t *testing.T) {
	kinds := aws.Kinds()
	if len(kinds) < 33+8 {
		t.Fatalf("%d kinds, want the 33 composed today and the 8 of the next layers", len(kinds))
	}
	for i, k := range kinds {
		if !strings.HasSuffix(k, ".aws.m.upbound.io") || i > 0 && kinds[i-1] >= k {
			t.Errorf("kind %q", k)
		}
	}
}
