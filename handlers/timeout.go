package handlers

import (
	"context"
	"time"
)

// Timeouter is implemented by handlers that declare how long they may run.
// Past it, the handler's context is cancelled and the move fails as if the
// handler had returned an error. Handlers that do not declare one get the
// engine's default (bot.DefaultHandlerTimeout).
type Timeouter interface {
	Timeout() time.Duration
}

// WithTimeout returns h declaring timeout d.
func WithTimeout(h Handler, d time.Duration) Handler { return timed{h: h, d: d} }

type timed struct {
	h Handler
	d time.Duration
}

func (t timed) Handle(ctx context.Context, c *Conversation) error { return t.h.Handle(ctx, c) }

func (t timed) Timeout() time.Duration { return t.d }

// TimeoutOf returns the timeout h declares, or 0.
func TimeoutOf(h Handler) time.Duration {
	if t, ok := h.(Timeouter); ok {
		return t.Timeout()
	}
	return 0
}
