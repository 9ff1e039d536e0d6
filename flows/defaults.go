package flows

import (
	"errors"
	"fmt"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// flowRefs are the flow's extra_info refs as written.
type flowRefs struct{ ref, ref1, ref2 Str }

// templated reports whether any ref holds a template action.
func (r flowRefs) templated() bool {
	return r.ref.tmpl != nil || r.ref1.tmpl != nil || r.ref2.tmpl != nil
}

// Defaults are a flow's message defaults for one conversation: its
// `catalog:` and `extra_info`, with the strings that are templates
// rendered.
type Defaults struct {
	Catalog   string
	ExtraInfo whatsapp.ExtraInfo
}

// Templated reports whether the flow's `catalog:` or an extra_info ref
// is a template, so that DefaultsFor needs the conversation's Data.
func (f *Flow) Templated() bool { return f.catalog.tmpl != nil || f.refs.templated() }

// DefaultsFor renders the flow's defaults from d. A string that fails to
// render is left empty and its error returned with the others, so that
// the caller can log them and still use what did render. d may be nil
// when Templated is false.
func (f *Flow) DefaultsFor(d *Data) (Defaults, error) {
	out := Defaults{Catalog: f.Catalog, ExtraInfo: f.ExtraInfo}
	if !f.Templated() {
		return out, nil
	}
	var errs []error
	render := func(s Str, what string, into *string) {
		if s.tmpl == nil {
			return
		}
		v, err := s.Render(d)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", what, err))
		}
		*into = v
	}
	render(f.catalog, "catalog", &out.Catalog)
	render(f.refs.ref, "extra_info.ref", &out.ExtraInfo.Ref)
	render(f.refs.ref1, "extra_info.ref1", &out.ExtraInfo.Ref1)
	render(f.refs.ref2, "extra_info.ref2", &out.ExtraInfo.Ref2)
	return out, errors.Join(errs...)
}
