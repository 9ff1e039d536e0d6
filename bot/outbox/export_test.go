package outbox

// OnTurnWait has f called as a worker starts to wait for its turn to send
// to the number to, until the returned function undoes it.
func OnTurnWait(f func(to string)) (undo func()) {
	turnHook = f
	return func() { turnHook = nil }
}
