// Package handlers holds the Go side of a flow: the Handler a state names
// with `run:`, the Registry that maps names to handlers, and the built-in
// handlers every shop can use.
//
// A developer builds their own binary, registers handlers on a Registry and
// hands it to the engine; `souk validate` in that binary then knows them.
//
//	reg := handlers.NewRegistry()
//	handlers.RegisterBuiltins(reg)
//	reg.Register("greet", handlers.Func(func(ctx context.Context, c *handlers.Conversation) error {
//		c.Set("greeted", true)
//		return nil
//	}))
package handlers
