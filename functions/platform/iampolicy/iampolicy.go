// Package iampolicy writes IAM and KMS policy documents from typed statements,
// so every policy the platform renders is valid JSON with a stable key order.
package iampolicy

import (
	"encoding/json"
)

// Version is the only IAM policy language version worth writing.
const Version = "2012-10-17"

// A Document is an IAM policy document.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// A Statement is one statement of a policy document. Condition maps an
// operator to condition keys and their values; encoding/json sorts map keys, so
// the rendered JSON is deterministic.
type Statement struct {
	Sid       string                    `json:"Sid,omitempty"`
	Effect    string                    `json:"Effect"`
	Principal map[string]any            `json:"Principal,omitempty"`
	Action    []string                  `json:"Action"`
	Resource  []string                  `json:"Resource,omitempty"`
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

// Allow returns an Allow statement for actions on resources.
func Allow(sid string, actions []string, resources ...string) Statement {
	return Statement{Sid: sid, Effect: "Allow", Action: actions, Resource: resources}
}

// Service returns a Principal naming an AWS service, such as logs.us-east-1.amazonaws.com.
func Service(name string) map[string]any { return map[string]any{"Service": name} }

// Account returns a Principal naming an account's root, i.e. the account's IAM administration.
func Account(id string) map[string]any {
	return map[string]any{"AWS": "arn:aws:iam::" + id + ":root"}
}

// JSON renders statements as a policy document.
func JSON(statements ...Statement) string {
	b, err := json.Marshal(Document{Version: Version, Statement: statements})
	if err != nil {
		// Statements hold only strings, slices and maps of them: Marshal cannot fail.
		panic(err)
	}
	return string(b)
}

// AssumeRole returns the trust policy letting service assume a role, limited
// by conditions (for example aws:SourceArn) against the confused-deputy problem.
func AssumeRole(service string, condition map[string]map[string]any) string {
	return JSON(Statement{
		Effect:    "Allow",
		Principal: Service(service),
		Action:    []string{"sts:AssumeRole"},
		Condition: condition,
	})
}
