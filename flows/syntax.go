package flows

import "github.com/souk-commerce/souk/internal/yamldoc"

// syntaxError turns a parse error of data into a diagnostic at its place.
func (w *walker) syntaxError(data []byte, err error) {
	line, col, msg := yamldoc.SyntaxAt(data, err)
	w.diags = append(w.diags, Diagnostic{File: w.file, Pos: Pos{line, col}, Code: "yaml-syntax", Message: "YAML syntax: " + msg})
}
