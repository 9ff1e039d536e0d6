package flows

// ByTitle returns the id (as a Key) of the row or reply button of the
// state's messages whose title is word (a flows.Word), so that a shopper
// who types what they see ("Opening hours") goes where the tap would: by
// the state's `on`, or by a keyword. Punctuation and runs of spaces do not
// count: "todays special" is the title "Today's special".
func (s *State) ByTitle(word string) (string, bool) {
	key, ok := s.titles[loose(word)]
	return key, ok
}

// compileTitles maps, for each state, the titles of the rows and reply
// buttons its messages offer to their ids (see State.ByTitle). Left out:
// states with a `text` route (typed text is theirs), templated titles, a
// title offered for two ids (a templated id counts as one more), and ids
// neither the state's `on` nor a keyword takes.
func (f *Flow) compileTitles() {
	for _, st := range f.States {
		if st.Text.State != "" {
			continue
		}
		ids := map[string]string{} // title word -> id key, "" once ambiguous
		st.eachOffer(func(id, title Str) {
			word, key := loose(Word(title.Raw)), Key(id.Raw)
			if !title.literal() || word == "" {
				return
			}
			if !id.literal() {
				key = "" // matches no other id
			}
			if prev, seen := ids[word]; seen && prev != key {
				key = ""
			}
			ids[word] = key
		})
		st.titles = map[string]string{}
		for word, key := range ids {
			_, on := st.On[key]
			_, keyword := f.Keywords[key]
			if key != "" && (on || keyword) {
				st.titles[word] = key
			}
		}
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
