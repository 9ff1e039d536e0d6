package flows

import (
	"fmt"
	"strings"
)

// checkIDs reports ids repeated within one message: list rows, reply
// buttons (ids and titles) and the products of a product_list. Row and
// button ids match `on` keys case-insensitively, so they are compared the
// same way.
func checkIDs(w *walker, f *Flow, _ Options) {
	for _, name := range f.StateNames {
		for _, s := range f.States[name].Send {
			switch m := s.Spec.(type) {
			case *ListSpec:
				seen := map[string]Pos{}
				for _, sec := range m.Sections {
					for _, r := range sec.Rows {
						w.unique(seen, Key(r.ID.Raw), r.ID, "duplicate-row-id", "row id")
					}
				}
			case *ButtonsSpec:
				ids, titles := map[string]Pos{}, map[string]Pos{}
				for _, b := range m.Buttons {
					w.unique(ids, Key(b.ID.Raw), b.ID, "duplicate-button-id", "button id")
					w.unique(titles, b.Title.Raw, b.Title, "duplicate-button-title", "button title")
				}
			case *ProductListSpec:
				seen := map[string]Pos{}
				for _, sec := range m.Sections {
					for _, p := range sec.Products {
						w.unique(seen, p.Raw, p, "duplicate-product-id", "product id")
					}
				}
			}
		}
	}
}

// unique reports s when key was seen before in the same message.
func (w *walker) unique(seen map[string]Pos, key string, s Str, code, what string) {
	if key == "" {
		return
	}
	if first, dup := seen[key]; dup {
		w.diags = append(w.diags, Diagnostic{File: w.file, Pos: s.Pos, Code: code,
			Message: fmt.Sprintf("%s %q is repeated in this message (first at line %d)", what, s.Raw, first.Line)})
		return
	}
	seen[key] = s.Pos
}

// checkOnOffered warns about an `on` key that no row or button of the
// state's messages offers: it is likely a typo of an id, though it still
// matches a typed word. States whose messages offer no ids, offer
// templated ones, or that run a handler (which may send its own) are
// skipped, since their `on` keys can only be typed words or are unknowable.
func checkOnOffered(w *walker, f *Flow, _ Options) {
	for _, name := range f.StateNames {
		st := f.States[name]
		offered, known := offeredIDs(st)
		if !known || len(offered) == 0 || st.Run != "" {
			continue
		}
		for _, k := range sortedKeys(st.On) {
			if contains(offered, k) {
				continue
			}
			d := Diagnostic{File: w.file, Pos: st.On[k].KeyPos, Code: "on-not-offered", Warning: true,
				Message: fmt.Sprintf("state %s.on: %q is not an id this state's messages offer (%s); it only matches typed text", name, k, strings.Join(offered, ", "))}
			if s := suggest(k, offered); s != "" {
				d.Message += fmt.Sprintf(" (did you mean %q?)", s)
			}
			w.diags = append(w.diags, d)
		}
	}
}

// offeredIDs lists the normalised row and button ids a state sends; known
// is false when one of them is templated.
func offeredIDs(st *State) (ids []string, known bool) {
	known = true
	st.eachOffer(func(id, _ Str) {
		known = known && id.literal()
		ids = append(ids, Key(id.Raw))
	})
	return ids, known
}
