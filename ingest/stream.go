package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"

	"trustwatch"
	"trustwatch/reader"
)

// IngestReader reads one input that is not a file, such as a body pushed
// over HTTP, exactly as Ingest reads a file: name stands for the file's
// path in the summary and in quarantine records, and its extension
// (.jsonl, .json, .csv) hints the format when Options say auto. An input
// that cannot be read is an EINVALID error; a store failure is returned
// as it is. The summary has one file either way.
func (in *Ingester) IngestReader(ctx context.Context, name string, r io.Reader) (Summary, error) {
	fsum := FileSummary{Path: name}
	p := in.newPipeline(ctx, name, &fsum)
	info, err := reader.Read(name, r, in.Options, p.add)
	fsum.Format, fsum.Encoding = info.Format, info.Encoding
	if perr := p.close(); perr != nil {
		err = perr
	} else if err != nil {
		err = p.cutShort(err)
	}
	fsum.Failed = fsum.Read - fsum.Stored - fsum.Duplicates - fsum.Quarantined
	var sum Summary
	if err != nil {
		fsum.Error = err.Error()
	}
	sum.add(fsum)
	var se storeError
	switch {
	case err == nil:
		return sum, nil
	case errors.As(err, &se), ctx.Err() != nil:
		return sum, fmt.Errorf("%s: %w", name, err)
	}
	return sum, trustwatch.Errorf(trustwatch.EINVALID, "%s: %v", name, err)
}
