package yamldoc

import "testing"

// TestSyntaxAt checks the lines given for yaml.v3's syntax errors: the
// parser's own count from 0 corrected, the construct named when the line
// is where it starts, and never a line past the end.
func TestSyntaxAt(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"unclosed flow mapping: the line with its {",
			"a: 1\nb:\n  - x: 1\n  - y: {p: 1, q: [2]\n  - z: 3\n", 4,
			"did not find expected ',' or '}' (in the flow mapping {...} that starts on this line)"},
		{"a key indented wrong: its own line, and the mapping it breaks",
			"a: 1\nb:\n  c: 1\n  d:\n    e: 1\n   f: 2\n  g: 3\n", 6,
			"did not find expected key (in the block mapping that starts on line 3: check this line's indentation and quotes)"},
		{"a quote inside a quoted value: its own line",
			"s:\n  a:\n    send:\n      - text: ok\n  b:\n    send:\n      - text: \"Say \"hi\" to us\"\n  c: 1\n", 7,
			"did not find expected key (in the block mapping that starts on this line)"},
		{"an item indented wrong: its own line",
			"a: 1\nb:\n  c: 1\n  d:\n    e: 1\n   - f\n", 6,
			"did not find expected key (in the block mapping that starts on line 3: check this line's indentation and quotes)"},
		{"a sequence item in the first line's mapping: its own line",
			"a: 1\nb:\n  c: 1\n - d\n", 4, "did not find expected key"},
		{"in the mapping of the first line: the problem's own line",
			"a: 1\nb: 2\n- c\n", 3, "did not find expected key"},
		{"unclosed flow sequence",
			"a: 1\nb: [1, 2\nc: 3\n", 2,
			"did not find expected ',' or ']' (in the flow sequence [...] that starts on this line)"},
		{"a scanner error keeps its line: where the unclosed quote starts", "a: 1\nb: \"x\n\tc: 2\nd: 3\n", 2, "found unexpected end of stream"},
		{"a scanner error at the end: the last line", "a: \"x\nb: 1\n", 2, "found unexpected end of stream"},
		{"nothing where a value should be, at the end", "a: 1\nb: [\n", 2, "did not find expected node content"},
		{"a directive repeated", "%YAML 1.1\n%YAML 1.1\n---\na: 1\n", 2, "found duplicate %YAML directive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := One([]byte(tt.in))
			if err == nil {
				t.Fatal("no syntax error")
			}
			line, col, msg := SyntaxAt([]byte(tt.in), err)
			if line != tt.line || col != 1 || msg != tt.msg {
				t.Errorf("SyntaxAt = %d %q, want %d %q (yaml.v3 said %q)", line, msg, tt.line, tt.msg, err)
			}
		})
	}
}

// TestBadCharAt checks that bytes a YAML stream may not hold, which
// yaml.v3 reports without a place, are reported where they are.
func TestBadCharAt(t *testing.T) {
	tests := []struct {
		name, in  string
		line, col int
		msg       string
	}{
		{"a control character", "a: 1\nb: \"hi \x01\"\n", 2, 8, "control characters are not allowed: U+0001 here"},
		{"a byte that is not UTF-8", "a: é\r\nb: \xff\n", 2, 4, "invalid leading UTF-8 octet: a byte that is not UTF-8 here (save the file as UTF-8)"},
		{"a noncharacter after a lone CR", "a: 1\rb: \"\uffff\"\n", 2, 5, "control characters are not allowed: U+FFFF here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := One([]byte(tt.in))
			if err == nil {
				t.Fatal("no syntax error")
			}
			line, col, msg := SyntaxAt([]byte(tt.in), err)
			if line != tt.line || col != tt.col || msg != tt.msg {
				t.Errorf("SyntaxAt = %d:%d %q, want %d:%d %q (yaml.v3 said %q)", line, col, msg, tt.line, tt.col, tt.msg, err)
			}
		})
	}
	if _, _, _, ok := badCharAt([]byte("\ufeffa: \"tab\there, é, ✓, 𝄞\"\n")); ok {
		t.Error("a byte order mark, a tab and characters beyond ASCII are allowed")
	}
}
