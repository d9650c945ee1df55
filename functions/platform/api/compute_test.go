package api

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/fintech-platform/payment-platform/functions/platform/naming"
)

// TestComputeNames_FitAtMaxSuffixAndRefuseLonger_X6: every name the service
// layer derives fits at the longest suffix the XRD admits (the ALB's 32
// characters are the tightest), and a longer suffix is refused naming the field.
func TestComputeNames_FitAtMaxSuffixAndRefuseLonger_X6(t *testing.T) {
	p := field.NewPath("spec", "parameters", "environmentSuffix")
	longest := strings.Repeat("a", naming.MaxSuffixLength)
	if errs := validateComputeNames(p, longest); len(errs) != 0 {
		t.Errorf("at the longest suffix: %v", errs)
	}
	errs := validateComputeNames(p, strings.Repeat("a", 32))
	if len(errs) != 1 || errs[0].Field != p.String() || !strings.Contains(errs[0].Detail, "makes a name AWS refuses") {
		t.Errorf("a suffix too long for the ALB's name: %v", errs)
	}
	if n := len(ComputeNames()); n != 17 {
		t.Errorf("%d names, want 17", n)
	}
}

// TestImage_TagsAndReferences_CMP1: a bare tag is the layer's repository's, a
// reference with a registry, path, tag or digest is taken as is.
func TestImage_TagsAndReferences_CMP1(t *testing.T) {
	for img, tag := range map[string]bool{"1.4.2": true, "latest": true, "nginx:1": false, "registry.example:5000/team/app@sha256:" + strings.Repeat("f", 64): false} {
		if ImageIsTag(img) != tag {
			t.Errorf("ImageIsTag(%q) = %v", img, !tag)
		}
		if errs := validateImage(field.NewPath("image"), img); len(errs) != 0 {
			t.Errorf("%s: %v", img, errs)
		}
	}
	if a, r, repo, ok := ECRRepositoryOf("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1"); !ok || a != "123456789012" || r != "eu-west-1" || repo != "team/app" {
		t.Errorf("ECRRepositoryOf = %s %s %s %v", a, r, repo, ok)
	}
	if _, _, _, ok := ECRRepositoryOf("public.ecr.aws/team/app:1"); ok {
		t.Error("a public registry read as a private ECR one")
	}
	if step([]int{512}) != 0 {
		t.Error("step of one size")
	}
}
