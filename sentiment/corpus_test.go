package sentiment

import (
	"os"
	"slices"
	"strings"
	"testing"

	"trustwatch"
)

func TestReadCorpus(t *testing.T) {
	P, N, U := trustwatch.Positive, trustwatch.Negative, trustwatch.Neutral
	tests := []struct {
		file, format string
		texts        []string
		labels       []trustwatch.Label
	}{
		{"hotel.csv", "", []string{"房间干净，服务很好", `隔音差,早餐"难吃"`, "前台态度恶劣"}, []trustwatch.Label{P, N, N}},
		{"hotel.csv", FormatChnSentiCorp, []string{"房间干净，服务很好", `隔音差,早餐"难吃"`, "前台态度恶劣"}, []trustwatch.Label{P, N, N}},
		{"weibo.tsv", "", []string{"今天好开心[哈哈]", "又加班[泪]"}, []trustwatch.Label{P, N}},
		{"nlpcc.csv", "", []string{"今天开会", "好喜欢这首歌", "气死我了"}, []trustwatch.Label{U, P, N}},
		{"custom.csv", "csv:label,body", []string{"很好", "很差", "还行"}, []trustwatch.Label{P, N, U}},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.format, func(t *testing.T) {
			exs, err := ReadCorpusFile("testdata/"+tt.file, tt.format)
			if err != nil {
				t.Fatal(err)
			}
			var texts []string
			var labels []trustwatch.Label
			for _, ex := range exs {
				texts, labels = append(texts, ex.Text), append(labels, ex.Label)
			}
			if !slices.Equal(texts, tt.texts) || !slices.Equal(labels, tt.labels) {
				t.Errorf("got %q %v, want %q %v", texts, labels, tt.texts, tt.labels)
			}
		})
	}
}

func TestReadCorpusErrors(t *testing.T) {
	tests := []struct {
		name, file, format, want string
	}{
		{"unknown label names the line", "badlabel.csv", "", `badlabel.csv: line 3: unknown label "maybe"`},
		{"missing column", "hotel.csv", "csv:stars,body", `lacks column "stars"`},
		{"bad csv spec", "hotel.csv", "csv:label", "want csv:LABELCOL,TEXTCOL"},
		{"unknown format", "hotel.csv", "xml", `unknown corpus format "xml"`},
		{"undetectable", "custom.csv", "", "give --format"},
		{"missing file", "nope.csv", "", "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCorpusFile("testdata/"+tt.file, tt.format)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestRows(t *testing.T) {
	exs := make([]Example, 10)
	for i := range exs {
		exs[i].Text = string(rune('a' + i))
	}
	got, err := Rows(exs, "3/4")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Text != "d" || got[1].Text != "h" {
		t.Errorf("Rows 3/4 = %v, want d and h", got)
	}
	for _, bad := range []string{"4/4", "1", "a/b", "0/0", "-1/3"} {
		if _, err := Rows(exs, bad); err == nil {
			t.Errorf("Rows(%q): no error", bad)
		}
	}
}

func TestReadWordList(t *testing.T) {
	path := t.TempDir() + "/w.txt"
	os.WriteFile(path, []byte("\ufeff满意\r\n\r\n 失望 \r\n"), 0o644)
	got, err := ReadWordList(path)
	if err != nil || !slices.Equal(got, []string{"满意", "失望"}) {
		t.Errorf("ReadWordList = %q, %v", got, err)
	}
}

func FuzzReadCorpus(f *testing.F) {
	for _, name := range []string{"hotel.csv", "weibo.tsv", "nlpcc.csv", "custom.csv", "badlabel.csv"} {
		b, _ := os.ReadFile("testdata/" + name)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		exs, err := ReadCorpus(strings.NewReader(string(b)), "")
		if err != nil {
			return
		}
		for _, ex := range exs {
			if ex.Text == "" || (ex.Label != trustwatch.Positive && ex.Label != trustwatch.Negative && ex.Label != trustwatch.Neutral) {
				t.Errorf("bad example %+v", ex)
			}
		}
	})
}
