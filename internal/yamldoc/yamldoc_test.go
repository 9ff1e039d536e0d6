package yamldoc

import "testing"

func TestOne(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		content   bool // the first document has content
		extraLine int  // 0: no second document reported
		err       bool
	}{
		{"empty", "", false, 0, false},
		{"comments only", "# nothing\n", false, 0, false},
		{"one", "a: 1\n", true, 0, false},
		{"trailing start", "a: 1\n---\n", true, 0, false},
		{"trailing comment document", "a: 1\n---\n# later\n", true, 0, false},
		{"end marker", "a: 1\n...\n", true, 0, false},
		{"second", "a: 1\n---\nb: 2\n", true, 3, false},
		{"second after blank lines", "a: 1\n---\n\n\n- x\n", true, 5, false},
		{"first broken", "a: [\n", false, 0, true},
		{"second broken", "a: 1\n---\nb: [\n", true, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, extra, err := One([]byte(tt.in))
			if (err != nil) != tt.err {
				t.Fatalf("err = %v, want error %v", err, tt.err)
			}
			if doc != nil && (len(doc.Content) > 0) != tt.content {
				t.Errorf("first document content = %v, want %v", doc.Content, tt.content)
			}
			switch {
			case tt.extraLine == 0 && extra != nil:
				t.Errorf("second document reported at line %d", extra.Line)
			case tt.extraLine != 0 && (extra == nil || extra.Line != tt.extraLine):
				t.Errorf("second document = %v, want one at line %d", extra, tt.extraLine)
			}
		})
	}
}
