package flows

import (
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// templateAt reads the line and, for an execution error, the 0-based byte
// column inside the template that a text/template error names.
var templateAt = regexp.MustCompile(`^template: [^:]*:(\d+)(?::(\d+))?: `)

// templatePos is where in the file err, an error of s's template, points.
// For a string on one line the column moves to the failing action; for a
// literal block (`|`) the line and column move to the text's own line.
// Any other string, or an error without a place, keeps s's position.
func (w *walker) templatePos(s *Str, err error) Pos {
	if err == nil {
		return s.Pos
	}
	m := templateAt.FindStringSubmatch(err.Error())
	if m == nil {
		return s.Pos
	}
	line, _ := strconv.Atoi(m[1])
	col, hasCol := 0, m[2] != ""
	if hasCol {
		col, _ = strconv.Atoi(m[2])
	}
	switch {
	case s.style&yaml.LiteralStyle != 0:
		return w.blockPos(s, line, col)
	case strings.Contains(s.Raw, "\n") || !hasCol:
		return s.Pos
	case s.style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		return Pos{Line: s.Pos.Line, Col: s.Pos.Col + 1 + col}
	}
	return Pos{Line: s.Pos.Line, Col: s.Pos.Col + col}
}

// blockPos maps line and col of a literal block's text onto the file: the
// text's first line is the file's line after the `|`, indented by the
// block's indentation.
func (w *walker) blockPos(s *Str, line, col int) Pos {
	first := s.Pos.Line // 0-based index of the text's first line in w.lines
	if line < 1 || first >= len(w.lines) {
		return s.Pos
	}
	textFirst, _, _ := strings.Cut(s.Raw, "\n")
	indent := leadingSpaces(w.lines[first]) - leadingSpaces(textFirst)
	if indent < 0 {
		return s.Pos
	}
	return Pos{Line: s.Pos.Line + line, Col: indent + 1 + col}
}

func leadingSpaces(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }
