package whatsapp

import "slices"

// idSet is the set of ids met so far in one message, to find repeats. A
// valid message has at most MaxProducts ids: up to that many are kept in an
// array on the stack and scanned, which at that size is quicker than a map
// and allocates nothing. Only an overlong message moves them to a map.
type idSet struct {
	few  [MaxProducts]string
	n    int
	many map[string]bool
}

// add adds id to the set and reports whether it was there already.
func (set *idSet) add(id string) (repeated bool) {
	if set.many != nil {
		repeated = set.many[id]
		set.many[id] = true
		return repeated
	}
	if slices.Contains(set.few[:set.n], id) {
		return true
	}
	if set.n < len(set.few) {
		set.few[set.n] = id
		set.n++
		return false
	}
	set.many = make(map[string]bool, 2*len(set.few))
	for _, old := range set.few {
		set.many[old] = true
	}
	set.many[id] = true
	return false
}
