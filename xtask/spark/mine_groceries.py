"""Apache Spark's FPGrowth in local mode on a baskets file, as a store would run it on
its cluster; `cargo xtask spark` then checks `cartlift import` of what it wrote against
`cartlift mine` on the same file.

The baskets file has one order per line, items separated by commas (groceries.csv).
Spark reads it itself (`spark.read.text`), the way cartlift's baskets reader does:
split on commas, trim each item, one occurrence per item and basket (Spark's FPGrowth
refuses repeats; cartlift counts a repeated item once). Lines that cartlift would skip
or parse differently (an empty item, a quoted field, a tab) make this script fail,
rather than compare two different inputs.

Writes OUT/rules.json (df.write.json) and OUT/rules.parquet (df.write.parquet, Snappy),
each in PARTITIONS part files, and prints one JSON object: Spark's version, the counts
it saw and seconds per phase.

    python mine_groceries.py BASKETS OUT --min-support S --min-confidence C
        [--partitions N] [--extras]
"""

import argparse
import json
import math
import os
import time


def check_input(path):
    """The lines cartlift and this script would read differently, if any."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if '"' in line or "\t" in line:
                return f"{path}:{number}: quotes or tabs: the two readers would differ"
            if any(item.strip() == "" for item in line.split(",")):
                return f"{path}:{number}: an empty item: cartlift skips the line, Spark would not"
    return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("baskets")
    p.add_argument("out")
    p.add_argument("--min-support", type=float, required=True)
    p.add_argument("--min-confidence", type=float, required=True)
    p.add_argument("--partitions", type=int, default=4)
    p.add_argument("--extras", action="store_true",
                   help="also write what cartlift must refuse, for its tests: "
                        "OUT/rules-zstd.parquet (zstd-compressed) and OUT/itemsets.parquet "
                        "(freqItemsets, not rules), one part file each")
    a = p.parse_args()

    problem = check_input(a.baskets)
    if problem:
        raise SystemExit(problem)

    t0 = time.perf_counter()
    import pyspark
    from pyspark.ml.fpm import FPGrowth
    from pyspark.sql import SparkSession, functions as F

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("cartlift-spark-check")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", str(a.partitions))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    t1 = time.perf_counter()

    raw = spark.read.text(os.path.abspath(a.baskets)).select(
        F.transform(F.split("value", ","), lambda item: F.trim(item)).alias("raw")
    )
    baskets = raw.select(F.array_distinct("raw").alias("items"), F.size("raw").alias("n"))
    baskets = baskets.cache()
    orders = baskets.count()
    with_repeats = baskets.where(F.size("items") != F.col("n")).count()

    model = FPGrowth(
        itemsCol="items", minSupport=a.min_support, minConfidence=a.min_confidence
    ).fit(baskets.select("items"))
    itemsets = model.freqItemsets.count()
    rules = model.associationRules.cache()
    rule_count = rules.count()
    longest_consequent = rules.agg(F.max(F.size("consequent"))).first()[0]
    t2 = time.perf_counter()

    out = os.path.abspath(a.out)
    parts = rules.repartition(a.partitions).cache()
    parts.write.mode("overwrite").json(os.path.join(out, "rules.json"))
    parts.write.mode("overwrite").parquet(os.path.join(out, "rules.parquet"))
    if a.extras:
        (rules.coalesce(1).write.mode("overwrite").option("compression", "zstd")
         .parquet(os.path.join(out, "rules-zstd.parquet")))
        model.freqItemsets.coalesce(1).write.mode("overwrite").parquet(
            os.path.join(out, "itemsets.parquet"))
    t3 = time.perf_counter()
    spark.stop()

    print(json.dumps({
        "spark": pyspark.__version__,
        "orders": orders,
        "orders_with_repeated_items": with_repeats,
        # What Spark's FPGrowth does with minSupport: ceil(minSupport × orders).
        "min_count": math.ceil(a.min_support * orders),
        "itemsets": itemsets,
        "rules": rule_count,
        "longest_consequent": longest_consequent,
        "seconds": {"start": t1 - t0, "fit": t2 - t1, "write": t3 - t2},
    }))


if __name__ == "__main__":
    main()
