package whatsapp

import "sync"

// scratch holds the arrays under the wire slices that scanEnvelope fills,
// and the change of a Kaleyra body.
// The wire values of a body are dropped once its events are built (an
// event copies what it keeps, and its strings are in the scanner's kept
// buffer), so the next body can reuse the arrays: a server decodes a body
// per webhook, thousands a second, and would otherwise allocate them anew
// each time.
type scratch struct {
	meta     change // Kaleyra's meta_object
	entries  []entry
	changes  []change
	contacts []contact
	messages []message
	statuses []wireStatus
	errors   []wireError
	items    []wireItem
}

// scratches are the scratches not in use.
var scratches = sync.Pool{New: func() any { return new(scratch) }}

// maxScratch is the most elements of one kind a scratch keeps for reuse:
// one that a batch larger than webhooks usually carry grew is left to the
// garbage collector.
const maxScratch = 64

// getScratch returns an empty scratch, to release once the wire values
// read into it are dropped.
func getScratch() *scratch { return scratches.Get().(*scratch) }

// release returns sc to the pool, emptied.
func (sc *scratch) release() {
	if sc.large() {
		return
	}
	sc.reset()
	scratches.Put(sc)
}

// reset empties sc, so that it holds on to nothing.
func (sc *scratch) reset() {
	sc.meta = change{}
	empty(&sc.entries)
	empty(&sc.changes)
	empty(&sc.contacts)
	empty(&sc.messages)
	empty(&sc.statuses)
	empty(&sc.errors)
	empty(&sc.items)
}

// large reports whether any of sc's arrays holds more than maxScratch
// elements.
func (sc *scratch) large() bool {
	return max(cap(sc.entries), cap(sc.changes), cap(sc.contacts), cap(sc.messages),
		cap(sc.statuses), cap(sc.errors), cap(sc.items)) > maxScratch
}

// empty zeroes the elements of *s and cuts it to length 0.
func empty[T any](s *[]T) {
	clear(*s)
	*s = (*s)[:0]
}
