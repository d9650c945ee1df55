package aws_test

import (
	"testing"

	"github.com/fintech-platform/payment-platform/functions/platform/aws"
)

// TestMessagingRules_WhatAWSDocuments_X6: the messaging layer's values
// against AWS's rules, on both sides of every bound.
func TestMessagingRules_WhatAWSDocuments_X6(t *testing.T) {
	const dlq = "arn:aws:sqs:us-east-1:123456789012:sqs-payments-dlq-dev"
	const image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-worker-dev:1.0.0"
	judge(t, map[string]verdict{
		"visibility 0":          {aws.SQSVisibilityTimeout(0), ""},
		"visibility 12h":        {aws.SQSVisibilityTimeout(43200), ""},
		"visibility over":       {aws.SQSVisibilityTimeout(43201), "outside 0 to 43200"},
		"retention 14d":         {aws.SQSMessageRetention(1209600), ""},
		"retention over":        {aws.SQSMessageRetention(1209601), "outside 60 to 1209600"},
		"retention under":       {aws.SQSMessageRetention(59), "outside"},
		"wait 20":               {aws.SQSReceiveWait(20), ""},
		"wait 21":               {aws.SQSReceiveWait(21), "outside"},
		"reuse 60":              {aws.SQSDataKeyReuse(60), ""},
		"reuse 59":              {aws.SQSDataKeyReuse(59), "outside"},
		"redrive ok":            {aws.SQSRedrivePolicy(`{"deadLetterTargetArn":"` + dlq + `","maxReceiveCount":5}`), ""},
		"redrive 1000":          {aws.SQSRedrivePolicy(`{"deadLetterTargetArn":"` + dlq + `","maxReceiveCount":1000}`), ""},
		"redrive 1001":          {aws.SQSRedrivePolicy(`{"deadLetterTargetArn":"` + dlq + `","maxReceiveCount":1001}`), "outside 1 to 1000"},
		"redrive 0":             {aws.SQSRedrivePolicy(`{"deadLetterTargetArn":"` + dlq + `","maxReceiveCount":0}`), "outside 1 to 1000"},
		"redrive no count":      {aws.SQSRedrivePolicy(`{"deadLetterTargetArn":"` + dlq + `"}`), "no maxReceiveCount"},
		"redrive target":        {aws.SQSRedrivePolicy(`{"deadLetterTargetArn":"sqs-payments-dlq-dev","maxReceiveCount":5}`), "not an SQS queue ARN"},
		"redrive not JSON":      {aws.SQSRedrivePolicy(`x`), "not a JSON object"},
		"allow byQueue":         {aws.SQSRedriveAllowPolicy(`{"redrivePermission":"byQueue","sourceQueueArns":["` + dlq + `"]}`), ""},
		"allow byQueue none":    {aws.SQSRedriveAllowPolicy(`{"redrivePermission":"byQueue","sourceQueueArns":[]}`), "1 to 10"},
		"allow all with queues": {aws.SQSRedriveAllowPolicy(`{"redrivePermission":"allowAll","sourceQueueArns":["` + dlq + `"]}`), "only byQueue"},
		"allow unknown":         {aws.SQSRedriveAllowPolicy(`{"redrivePermission":"some"}`), "not allowAll"},
		"timeout 900":           {aws.LambdaTimeout(900), ""},
		"timeout 901":           {aws.LambdaTimeout(901), "outside 1 to 900"},
		"timeout 0":             {aws.LambdaTimeout(0), "outside"},
		"memory 128":            {aws.LambdaMemory(128), ""},
		"memory 10240":          {aws.LambdaMemory(10240), ""},
		"memory 127":            {aws.LambdaMemory(127), "outside 128 to 10240"},
		"image ok":              {aws.LambdaImageURI(image), ""},
		"image Docker Hub":      {aws.LambdaImageURI("nginx:1"), "not an ECR image URI"},
		"image no tag":          {aws.LambdaImageURI("123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-worker-dev"), "not an ECR image URI"},
		"source ok":             {aws.SQSEventSource(10, 0, 2), ""},
		"source big batch":      {aws.SQSEventSource(10000, 1, 1000), ""},
		"source 11 no window":   {aws.SQSEventSource(11, 0, 0), "at least 1 s"},
		"source batch over":     {aws.SQSEventSource(10001, 1, 0), "outside 1 to 10000"},
		"source window over":    {aws.SQSEventSource(10, 301, 0), "outside 0 to 300"},
		"source concurrency 1":  {aws.SQSEventSource(10, 0, 1), "outside 2 to 1000"},
		"source concurrency 1k": {aws.SQSEventSource(10, 0, 1001), "outside 2 to 1000"},
	})
}

// TestMessagingRules_CheckReadsTheObjects_X6: Check applies the rules to a
// rendered queue, function and event source mapping.
func TestMessagingRules_CheckReadsTheObjects_X6(t *testing.T) {
	fp := func(m map[string]any) map[string]any { return map[string]any{"spec": map[string]any{"forProvider": m}} }
	queue := fp(map[string]any{"name": "sqs-payments-dev", "visibilityTimeoutSeconds": float64(50000)})
	if errs, known := aws.Check("sqs.aws.m.upbound.io", "Queue", queue); !known || len(errs) != 1 {
		t.Errorf("queue with a 50000 s visibility timeout: %v (known %v), want one error", errs, known)
	}
	fn := fp(map[string]any{"timeout": float64(30), "imageUri": "nginx:1", "packageType": "Zip"})
	fn["metadata"] = map[string]any{"annotations": map[string]any{"crossplane.io/external-name": "lambda-payments-worker-dev"}}
	if errs, known := aws.Check("lambda.aws.m.upbound.io", "Function", fn); !known || len(errs) != 1 {
		t.Errorf("function with a Docker Hub image and Zip package: %v (known %v), want one error", errs, known)
	}
	esm := fp(map[string]any{"batchSize": float64(100), "scalingConfig": map[string]any{"maximumConcurrency": float64(1)}})
	if errs, known := aws.Check("lambda.aws.m.upbound.io", "EventSourceMapping", esm); !known || len(errs) != 1 {
		t.Errorf("mapping of 100 without a window, concurrency 1: %v (known %v), want one error", errs, known)
	}
}
