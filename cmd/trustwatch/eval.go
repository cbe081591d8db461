package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"trustwatch"
	"trustwatch/sentiment"
)

// newEvalCmd builds `trustwatch eval sentiment` (the model's accuracy on a
// labelled file it was not trained on) and `eval alerts` (evalalerts.go).
func newEvalCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Measure the embedded models on labelled data, and the alerts against expected events",
	}
	var (
		data, format, rows, modelPath string
		strip                         bool
	)
	sent := &cobra.Command{
		Use:   "sentiment --data FILE",
		Short: "Accuracy, macro-F1, confusion matrix and docs/s of the sentiment model on FILE",
		Long: `Classify every labelled text of FILE and compare with its label.
Formats: chnsenticorp, waimai (CSV label,review), weibo-senti (TSV label, text),
nlpcc2013 (CSV 标签,文本; none is neutral, surprise skipped), covid19, and
csv:LABELCOL,TEXTCOL (labels 1/0, pos/neg/neu); without --format it is read
from the header. Accuracy counts a neu prediction of a pos/neg text as wrong;
binary accuracy calls p_pos >= 0.5 positive.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if data == "" {
				return usageError{fmt.Errorf("eval sentiment: --data is required")}
			}
			m, err := loadModel(modelPath)
			if err != nil {
				return err
			}
			exs, err := sentiment.ReadCorpusFile(data, format)
			if err != nil {
				return trustwatch.Errorf(trustwatch.EINVALID, "%v", err)
			}
			if rows != "" {
				if exs, err = sentiment.Rows(exs, rows); err != nil {
					return usageError{err}
				}
			}
			if strip {
				for i := range exs {
					exs[i].Text = sentiment.StripEmoticons(exs[i].Text)
				}
			}
			rep := sentiment.Evaluate(m, exs)
			if a.jsonOut {
				return json.NewEncoder(a.stdout).Encode(rep)
			}
			printReport(a, data, rep)
			return nil
		},
	}
	f := sent.Flags()
	f.StringVar(&data, "data", "", "labelled file")
	f.StringVar(&format, "format", "", "chnsenticorp|waimai|weibo-senti|nlpcc2013|covid19|csv:LABELCOL,TEXTCOL")
	f.StringVar(&rows, "rows", "", "only rows K/N (index mod N == K), e.g. 3/4 for NLPCC 2013's held-out quarter")
	f.BoolVar(&strip, "strip-emoticons", false, "remove [...] emoticons before classifying (Weibo labels came from them)")
	f.StringVar(&modelPath, "model", "", "model file (default: the embedded model)")
	cmd.AddCommand(sent, newEvalAlertsCmd(a))
	return cmd
}

func printReport(a *app, name string, rep sentiment.Report) {
	w := a.stdout
	fmt.Fprintf(w, "%s: %d texts\n", name, rep.N)
	fmt.Fprintf(w, "accuracy         %.4f\n", rep.Accuracy)
	fmt.Fprintf(w, "binary accuracy  %.4f\n", rep.BinaryAccuracy)
	fmt.Fprintf(w, "macro-F1         %.4f\n", rep.MacroF1)
	fmt.Fprintf(w, "neutral share    %.4f\n", rep.NeutralShare)
	fmt.Fprintf(w, "docs/s           %.0f\n", rep.DocsPerSec)
	fmt.Fprintf(w, "confusion (rows gold, columns predicted)\n%8s %8s %8s %8s\n", "", "pos", "neg", "neu")
	for i, l := range sentiment.Labels {
		fmt.Fprintf(w, "%8s %8d %8d %8d\n", l, rep.Confusion[i][0], rep.Confusion[i][1], rep.Confusion[i][2])
	}
}
