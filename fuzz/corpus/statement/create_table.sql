CREATE EXTERNAL TABLE IF NOT EXISTS db.sales (
  id INT COMMENT 'Sales ID', tags array<struct<k:string,v:map<string,decimal(10,2)>>>
)
PARTITIONED BY (dt string)
ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' ESCAPED BY '\\'
STORED AS TEXTFILE
LOCATION 's3://b/data/'
TBLPROPERTIES ('skip.header.line.count' = '1', 'classification' = 'csv');