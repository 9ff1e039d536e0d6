package flows

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/souk-commerce/souk/internal/yamldoc"
)

// syntaxError turns a parse error of data into a diagnostic at its place,
// with a hint for the mistakes people make most.
func (w *walker) syntaxError(data []byte, err error) {
	line, col, msg := yamldoc.SyntaxAt(data, err)
	hint := syntaxHint(data, line, msg)
	if loc := colonInValue.FindIndex(lineOf(data, line)); loc != nil && strings.Contains(hint, `": "`) {
		col = utf8.RuneCount(lineOf(data, line)[:loc[1]-2]) + 1 // at the colon that needs the quotes
	}
	msg += hint
	w.diags = append(w.diags, Diagnostic{File: w.file, Pos: Pos{line, col}, Code: "yaml-syntax", Message: "YAML syntax: " + msg})
}

// syntaxHint says how to mend the common causes of a YAML syntax error.
func syntaxHint(data []byte, line int, msg string) string {
	switch {
	case strings.Contains(msg, "cannot start any token") && tabIndented(lineOf(data, line)):
		return " (a tab: YAML is indented with spaces only)"
	case strings.Contains(msg, "mapping values are not allowed") && colonInValue.Match(lineOf(data, line)):
		return ` (a value with ": " in it must be in quotes, as in text: "Open today: 7am to 7pm")`
	case strings.Contains(msg, "could not find expected ':'") &&
		(colonGlued.Match(lineOf(data, line)) || colonGlued.Match(lineOf(data, line-1))):
		return " (a key needs a space after its colon, as in `else: welcome`)"
	}
	return ""
}

// colonInValue finds a key whose unquoted value holds ": " itself.
var colonInValue = regexp.MustCompile(`^\s*(?:-\s+)?[\w-]+:\s+[^\s"'{\[|>][^#]*:\s`)

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
