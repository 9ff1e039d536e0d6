package outbox

// OnTurnWait has f called as a worker is about to wait for its turn to
// send to the number to, until the returned function undoes it.
func OnTurnWait(f func(to string)) (undo func()) {
	turnHook.Store(&f)
	return func() { turnHook.Store(nil) }
}
