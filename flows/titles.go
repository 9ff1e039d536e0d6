package flows

import "strings"

// ByTitle returns the `on` key of the row or reply button of the state's
// messages whose title is word (a flows.Word), so that a shopper who types
// what they see ("Opening hours") goes where the tap would.
func (s *State) ByTitle(word string) (string, bool) {
	key, ok := s.titles[word]
	return key, ok
}

// compileTitles maps, for each state, the titles of the rows and reply
// buttons its messages offer to their ids (see State.ByTitle). Left out:
// templated ids and titles, ids the state's `on` does not take, and a
// title offered for two different ids.
func (f *Flow) compileTitles() {
	for _, st := range f.States {
		titles, twice := map[string]string{}, map[string]bool{}
		st.eachOffer(func(id, title Str) {
			key, word := Key(id.Raw), Word(title.Raw)
			if !literal(id) || !literal(title) || word == "" || twice[word] {
				return
			}
			if _, takes := st.On[key]; !takes {
				return
			}
			if prev, seen := titles[word]; seen && prev != key {
				delete(titles, word)
				twice[word] = true
				return
			}
			titles[word] = key
		})
		st.titles = titles
	}
}

// eachOffer calls fn with the id and title of every list row and reply
// button the state sends.
func (s *State) eachOffer(fn func(id, title Str)) {
	for _, m := range s.Send {
		switch spec := m.Spec.(type) {
		case *ListSpec:
			for _, sec := range spec.Sections {
				for _, r := range sec.Rows {
					fn(r.ID, r.Title)
				}
			}
		case *ButtonsSpec:
			for _, b := range spec.Buttons {
				fn(b.ID, b.Title)
			}
		}
	}
}

// literal reports whether s is written without template actions.
func literal(s Str) bool { return s.tmpl == nil && !strings.Contains(s.Raw, "{{") }
