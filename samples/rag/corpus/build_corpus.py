#!/usr/bin/env python3
"""Builds the RAG sample's corpus from WordNet 3.0 (Debian package wordnet-base).

One document per synset: "lemma, lemma: gloss", with metadata to filter on. The synsets are
familiar ones: the first (most frequent) sense of every lemma of which at least MIN_TAGGED senses
occur in WordNet's semantic concordance, so the sample answers everyday queries.

    apt-get install wordnet-base
    python3 samples/rag/corpus/build_corpus.py   # from the repository root
"""
import os
import shutil

WORDNET = "/usr/share/wordnet"
OUT_DIR = os.path.join(os.path.dirname(__file__), "..", "src", "main", "resources", "corpus")
MIN_TAGGED = 2
POS_FILES = ["noun", "verb", "adj", "adv"]
POS_NAMES = {"n": "noun", "v": "verb", "a": "adjective", "s": "adjective", "r": "adverb"}
# lexnames(5): the lexicographer file of each synset, by number.
LEXNAMES = """adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute
noun.body noun.cognition noun.communication noun.event noun.feeling noun.food noun.group
noun.location noun.motive noun.object noun.person noun.phenomenon noun.plant noun.possession
noun.process noun.quantity noun.relation noun.shape noun.state noun.substance noun.time
verb.body verb.change verb.cognition verb.communication verb.competition verb.consumption
verb.contact verb.creation verb.emotion verb.motion verb.perception verb.possession verb.social
verb.stative verb.weather adj.ppl""".split()


def familiar_synsets(file_suffix):
    """Offsets of the first sense of each lemma with at least MIN_TAGGED tagged senses."""
    offsets = set()
    with open(os.path.join(WORDNET, "index." + file_suffix), encoding="utf-8") as index:
        for line in index:
            if line.startswith(" "):
                continue  # license header
            fields = line.split()
            synset_count, pointer_count = int(fields[2]), int(fields[3])
            tagged = int(fields[5 + pointer_count])
            if tagged >= MIN_TAGGED:
                offsets.add(fields[-synset_count])
    return offsets


def documents(file_suffix, offsets):
    with open(os.path.join(WORDNET, "data." + file_suffix), encoding="utf-8") as data:
        for line in data:
            if line.startswith(" "):
                continue
            head, gloss = line.split(" | ", 1)
            fields = head.split()
            if fields[0] not in offsets:
                continue
            pos = fields[2]
            word_count = int(fields[3], 16)
            words = [fields[4 + 2 * i].replace("_", " ").split("(")[0] for i in range(word_count)]
            text = ", ".join(words) + ": " + gloss.strip()
            category = LEXNAMES[int(fields[1])].split(".")[1].lower()
            # Satellite adjectives ("s") are adjectives; ids read like WordNet's: n02121620.
            yield (("a" if pos == "s" else pos) + fields[0], POS_NAMES[pos], category, str(word_count), text)


if __name__ == "__main__":
    os.makedirs(OUT_DIR, exist_ok=True)
    rows = []
    for suffix in POS_FILES:
        rows.extend(documents(suffix, familiar_synsets(suffix)))
    with open(os.path.join(OUT_DIR, "wordnet-glosses.tsv"), "w", encoding="utf-8") as out:
        out.write("id\tpos\tcategory\twords\ttext\n")
        for row in rows:
            assert all("\t" not in field and "\n" not in field for field in row)
            out.write("\t".join(row) + "\n")
    shutil.copyfile("/usr/share/doc/wordnet-base/copyright", os.path.join(OUT_DIR, "LICENSE-wordnet.txt"))
    print(f"{len(rows)} documents written to {os.path.normpath(OUT_DIR)}")
