package handlers

import (
	"context"
	"strings"
	"testing"
)

func TestRegisterPanics(t *testing.T) {
	noop := Func(func(context.Context, *Conversation) error { return nil })
	tests := []struct {
		name string
		do   func(r *Registry)
		want string
	}{
		{"empty name", func(r *Registry) { r.Register("", noop) }, "empty handler name registered at"},
		{"nil handler", func(r *Registry) { r.Register("x", nil) }, `nil handler "x"`},
		{"twice", func(r *Registry) { r.Register("x", noop); r.Register("x", noop) }, `"x" registered twice: at `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				p, _ := recover().(string)
				if !strings.Contains(p, tt.want) || !strings.Contains(p, "registry_test.go:") {
					t.Fatalf("panic = %q", p)
				}
			}()
			tt.do(NewRegistry())
		})
	}
}
