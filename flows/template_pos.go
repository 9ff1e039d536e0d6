package flows

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// templateAt reads the line and, for an execution error, the 0-based byte
// column inside the template that a text/template error names.
var templateAt = regexp.MustCompile(`^template: [^:]*:(\d+)(?::(\d+))?: `)

// templatePos is where in the file err, an error of s's template, points.
// For a string written on one line as it reads (no escapes, no folding)
// the column moves to the failing action; for a literal block (`|`) the
// line and column move to the text's own line. Any other string, or an
// error without a place, keeps s's position. Columns count characters,
// as the rest of the positions do.
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
	case !hasCol || line != 1 || !w.writtenAsIs(s):
		return s.Pos
	}
	quote := 0
	if s.style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		quote = 1
	}
	return Pos{Line: s.Pos.Line, Col: s.Pos.Col + quote + runesIn(s.Raw, col)}
}

// writtenAsIs reports whether s stands in its file's line exactly as its
// text reads, opening quote aside: one line, no escapes.
func (w *walker) writtenAsIs(s *Str) bool {
	i := s.Pos.Line - 1
	if i < 0 || i >= len(w.lines) || strings.Contains(s.Raw, "\n") {
		return false
	}
	src := []rune(w.lines[i])
	at := s.Pos.Col - 1
	if s.style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		at++
	}
	return at >= 0 && at <= len(src) && strings.HasPrefix(string(src[at:]), s.Raw)
}

// runesIn counts the characters of s's first n bytes.
func runesIn(s string, n int) int { return utf8.RuneCountInString(s[:min(n, len(s))]) }

// blockPos maps line and col of a literal block's text onto the file: the
// text's lines are the file's lines after the `|`, indented by the block's
// indentation, which the first line with text shows.
func (w *walker) blockPos(s *Str, line, col int) Pos {
	text := strings.Split(strings.TrimRight(s.Raw, "\n"), "\n")
	if line > len(text) { // an error at the end of the text: its last line
		line, col = len(text), len(text[len(text)-1])
	}
	if line < 1 {
		return s.Pos
	}
	indent := -1
	for k, t := range text {
		i := s.Pos.Line + k // 0-based index in w.lines of the text's line k+1
		if strings.TrimSpace(t) != "" && i < len(w.lines) {
			indent = leadingSpaces(w.lines[i]) - leadingSpaces(t)
			break
		}
	}
	if indent < 0 {
		return s.Pos
	}
	return Pos{Line: s.Pos.Line + line, Col: indent + 1 + runesIn(text[line-1], col)}
}

func leadingSpaces(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }
