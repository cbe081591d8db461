-- 0008_keyword_case: keyword: matches in any case (a crawl's query is typed
-- as "小米SU7" or "小米su7"), so its index is on lower(keyword); SQLite's
-- lower() folds ASCII letters, which is what keywords' Latin letters are.
DROP INDEX items_keyword;
CREATE INDEX items_keyword ON items (lower(keyword)) WHERE keyword <> '';
