package flows

import (
	"regexp"
	"strconv"
	"strings"
)

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns a yaml.v3 parse error into a diagnostic with its line;
// yaml.v3 gives no column for syntax errors, so the column is 1.
func (w *walker) syntaxError(err error) {
	msg := strings.TrimSpace(err.Error())
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	w.diags = append(w.diags, Diagnostic{File: w.file, Pos: Pos{line, 1}, Code: "yaml-syntax", Message: "YAML syntax: " + msg})
}
