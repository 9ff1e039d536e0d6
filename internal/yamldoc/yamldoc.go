// Package yamldoc reads a file that must hold one YAML document, so that
// a second document (after ---), which yaml.Unmarshal would silently
// drop, can be reported.
package yamldoc

import (
	"bytes"
	"errors"
	"io"

	"gopkg.in/yaml.v3"
)

// One parses the first YAML document of data, with its aliases resolved
// (see Resolve). doc has no content for an empty file. extra is the first
// node of a second document when there is one with anything in it (a
// trailing --- alone, or comments, do not count), else nil. err is a
// syntax error of either document, or an *AliasError of the first: with
// an error in the first, doc is nil.
func One(data []byte) (doc, extra *yaml.Node, err error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	doc = &yaml.Node{}
	if err := dec.Decode(doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, err
	}
	if err := Resolve(doc); err != nil {
		return nil, nil, err
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
		return doc, nil, nil
	case err != nil:
		return doc, nil, err
	case blank(&next):
		return doc, nil, nil
	}
	return doc, next.Content[0], nil
}

// blank reports a document with nothing in it but comments.
func blank(doc *yaml.Node) bool {
	if len(doc.Content) == 0 {
		return true
	}
	n := doc.Content[0]
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null" && n.Value == ""
}
