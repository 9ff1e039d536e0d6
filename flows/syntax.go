package flows

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/souk-commerce/souk/internal/yamldoc"
)

// syntaxError turns a parse error of data into a diagnostic at its place,
// with a hint for the mistakes people make most.
func (w *walker) syntaxError(data []byte, err error) {
	line, col, msg := yamldoc.SyntaxAt(data, err)
	msg += syntaxHint(data, line, msg)
	w.diags = append(w.diags, Diagnostic{File: w.file, Pos: Pos{line, col}, Code: "yaml-syntax", Message: "YAML syntax: " + msg})
}

// syntaxHint says how to mend the common causes of a YAML syntax error.
func syntaxHint(data []byte, line int, msg string) string {
	switch {
	case strings.Contains(msg, "cannot start any token") && tabIndented(lineOf(data, line)):
		return " (a tab: YAML is indented with spaces only)"
	case strings.Contains(msg, "could not find expected ':'") &&
		(colonGlued.Match(lineOf(data, line)) || colonGlued.Match(lineOf(data, line-1))):
		return " (a key needs a space after its colon, as in `else: welcome`)"
	}
	return ""
}

// colonGlued finds a key whose value follows its colon with no space.
var colonGlued = regexp.MustCompile(`^\s*[\w-]+:[^\s:/]`)

// tabIndented reports a line whose indentation holds a tab.
func tabIndented(line []byte) bool {
	rest := bytes.TrimLeft(line, " \t")
	return bytes.ContainsRune(line[:len(line)-len(rest)], '\t')
}

// lineOf returns line n (from 1) of data.
func lineOf(data []byte, n int) []byte {
	lines := bytes.Split(data, []byte("\n"))
	if n < 1 || n > len(lines) {
		return nil
	}
	return lines[n-1]
}
