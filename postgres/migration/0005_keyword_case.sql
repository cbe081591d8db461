-- 0005_keyword_case: keyword: matches in any case, so its index is on
-- lower(keyword).
DROP INDEX items_keyword;
CREATE INDEX items_keyword ON items (lower(keyword)) WHERE keyword <> '';
