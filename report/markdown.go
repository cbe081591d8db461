package report

import (
	"trustwatch/label"

	"bufio"
	"fmt"
	"io"
	"strings"
)

// mdEscaper escapes what Markdown would read as markup in a sentence.
var mdEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "`", "\\`", "|", `\|`, "<", "&lt;", ">", "&gt;")

// Markdown writes the report with its evidence as links to the dashboard
// (BaseURL, or paths relative to it when unset): a finding's figures link
// to its first piece of evidence, followed by links to the rest.
func (r *Report) Markdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s\n\n本期 %s，对比上期 %s。生成于 %s。误差范围（95%% Wilson 区间）超过 ±%s 个百分点的占比都注明“数据少”。\n",
		mdEscaper.Replace(r.Title), r.period(r.From, r.To), r.period(r.PrevFrom, r.From), r.Generated.In(r.loc).Format("2006-01-02 15:04"), label.Float(100*r.MaxMargin, 1))
	for _, part := range []struct {
		title string
		fs    []Finding
		empty string
	}{
		{"变坏的", r.Worse, "按以下各项指标，本期没有变坏的发现。"},
		{"持平或变好的", r.Held, "按以下各项指标，本期没有持平或变好的发现。"},
	} {
		fmt.Fprintf(bw, "\n## %s\n", part.title)
		if len(part.fs) == 0 {
			fmt.Fprintf(bw, "\n%s\n", part.empty)
		}
		for _, s := range Sections {
			first := true
			for i := range part.fs {
				f := &part.fs[i]
				if f.Section != s.ID {
					continue
				}
				if first {
					fmt.Fprintf(bw, "\n### %s\n\n", s.Title)
					first = false
				}
				fmt.Fprintf(bw, "- %s", r.mdSentence(f))
				if f.LittleData {
					fmt.Fprintf(bw, " **数据少：±%s 个百分点**", label.Float(100*f.Margin, 0))
				}
				for j, l := range f.Evidence {
					fmt.Fprintf(bw, " [[%d]](%s)", j+1, r.mdURL(l))
				}
				bw.WriteString("\n")
			}
		}
	}
	bw.WriteString("\n## 全部数据\n")
	for _, t := range r.Tables {
		fmt.Fprintf(bw, "\n### %s\n\n", mdEscaper.Replace(t.Title))
		if t.Note != "" {
			fmt.Fprintf(bw, "%s\n\n", mdEscaper.Replace(t.Note))
		}
		if len(t.Rows) == 0 {
			bw.WriteString("无。\n")
			continue
		}
		var head, rule []string
		for _, c := range t.Columns {
			head = append(head, mdEscaper.Replace(c.Title))
			if c.Numeric {
				rule = append(rule, "---:")
			} else {
				rule = append(rule, "---")
			}
		}
		fmt.Fprintf(bw, "| %s |\n| %s |\n", strings.Join(head, " | "), strings.Join(rule, " | "))
		for _, row := range t.Rows {
			var cells []string
			for i, c := range row {
				text := mdEscaper.Replace(oneLine(c.Text))
				if c.Numeric {
					text = formatCell(c, t.Columns[i])
				}
				if u := r.cellURL(c); u != "" && text != "" {
					text = fmt.Sprintf("[%s](%s)", text, u)
				}
				cells = append(cells, text)
			}
			fmt.Fprintf(bw, "| %s |\n", strings.Join(cells, " | "))
		}
	}
	return bw.Flush()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// mdSentence links each figure of a finding's sentence to the first
// evidence of its own period; dates and quoted text stay plain.
func (r *Report) mdSentence(f *Finding) string {
	s := oneLine(f.Sentence)
	if len(f.Evidence) == 0 {
		return mdEscaper.Replace(s)
	}
	var sb strings.Builder
	last := 0
	for _, sp := range figureSpans(s, f.Figures) {
		u := r.mdURL(f.Evidence[0])
		if sp[2] >= 0 && f.Figures[sp[2]].Previous && len(f.PrevEvidence) > 0 {
			u = r.mdURL(f.PrevEvidence[0])
		}
		sb.WriteString(mdEscaper.Replace(s[last:sp[0]]))
		fmt.Fprintf(&sb, "[%s](%s)", mdEscaper.Replace(s[sp[0]:sp[1]]), u)
		last = sp[1]
	}
	sb.WriteString(mdEscaper.Replace(s[last:]))
	return sb.String()
}

func (r *Report) mdURL(l Link) string { return r.BaseURL + l.Path() }

func (r *Report) cellURL(c Cell) string {
	if c.Link != nil {
		return r.mdURL(*c.Link)
	}
	if c.Finding != "" {
		if f := r.Finding(c.Finding); f != nil && len(f.Evidence) > 0 {
			return r.mdURL(f.Evidence[0])
		}
	}
	return ""
}
