-- copy
INSERT INTO "glue:arn:aws:glue:ap-northeast-1:111111111111:catalog".db.t (a, b)
SELECT * FROM source_catalog.db.sales;