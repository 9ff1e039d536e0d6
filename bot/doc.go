// Package bot is souk's engine: it turns one inbound WhatsApp event into a
// move of that shopper's state machine and the messages the new state sends.
//
// For each event the engine loads the conversation from the store, picks a
// trigger by the flow's rule (start, on, keywords, order, text, else, or
// re-enter), runs the transition on a looplab/fsm machine built from the
// flow's compiled event table, runs the state's Go handler, renders the
// state's messages, commits the new state atomically (retrying on a
// concurrent move), and hands the messages to a Dispatcher. The engine never
// speaks HTTP itself.
//
//	eng, err := bot.New(bot.Config{Flow: flow, Store: st, Dispatcher: d})
//	res, err := eng.Handle(ctx, event)
package bot
