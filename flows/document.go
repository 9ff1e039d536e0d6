package flows

import (
	"github.com/souk-commerce/souk/internal/yamldoc"
	"gopkg.in/yaml.v3"
)

// document parses data as the one YAML document of a flow or test file
// (what names which, for the message). A second document after `---` is
// reported, not ignored, so that nothing written there is silently
// dropped. ok is false when the first document is not YAML.
func (w *walker) document(data []byte, what string) (doc *yaml.Node, ok bool) {
	doc, extra, err := yamldoc.One(data)
	if err != nil {
		w.syntaxError(data, err)
	}
	if extra != nil {
		w.errorf(extra, "extra-document", "a %s holds one YAML document; this second one (after ---) would be ignored", what)
	}
	return doc, doc != nil
}
