package flows

import (
	"bytes"
	"errors"
	"io"

	"gopkg.in/yaml.v3"
)

// document parses data as the one YAML document of a flow or test file
// (what names which, for the message). A second document after `---` is
// reported, not ignored, so that nothing written there is silently
// dropped; an empty one (a trailing `---`) is allowed. ok is false when
// the first document is not YAML.
func (w *walker) document(data []byte, what string) (doc *yaml.Node, ok bool) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	doc = &yaml.Node{}
	if err := dec.Decode(doc); err != nil && !errors.Is(err, io.EOF) {
		w.syntaxError(err)
		return nil, false
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		w.syntaxError(err)
	case !blank(&next):
		w.errorf(next.Content[0], "extra-document",
			"a %s holds one YAML document; this second one (after ---) would be ignored", what)
	}
	return doc, true
}

// blank reports a document with nothing in it but comments.
func blank(doc *yaml.Node) bool {
	if len(doc.Content) == 0 {
		return true
	}
	n := doc.Content[0]
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null" && n.Value == ""
}
