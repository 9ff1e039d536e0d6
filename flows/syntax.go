package flows

import "github.com/souk-commerce/souk/internal/yamldoc"

// syntaxError turns a yaml.v3 parse error of data into a diagnostic with
// its line; yaml.v3 gives no column for syntax errors, so the column is 1.
func (w *walker) syntaxError(data []byte, err error) {
	line, msg := yamldoc.SyntaxAt(data, err)
	w.diags = append(w.diags, Diagnostic{File: w.file, Pos: Pos{line, 1}, Code: "yaml-syntax", Message: "YAML syntax: " + msg})
}
