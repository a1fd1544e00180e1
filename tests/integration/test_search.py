"""`pos product list --search`: code prefix (any case), exact barcode, name
substring with Arabic normalisation and Latin case folding."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import posharness as H                                    # noqa: E402

CATALOG = {
    # code: (name, barcode)
    "HNY-1": ("عسل أحمد الجبلي", "6281000000011"),
    "JAM-2": ("مربى مشمش", None),
    "COF-3": ("قهوة عربية", "6281234567890"),
    "DAT-4": ("تَمْرٌ مَجْدُول", None),           # with tashkeel
    "OIL-5": ("زيـــت زيتون", None),           # with tatweel
    "OLV-6": ("Olive wood bowl", None),
    "ISL-7": ("إسطنبولي", None),               # alef with hamza below
    "MAD-8": ("آمنة", None),                   # alef with madda
    "X_9": ("100% pure", None),
}


class Search(H.PosTestCase):

    @classmethod
    def setUpClass(cls):
        b = H.PosTestCase()
        b.setUp()
        cls.builder = b
        cls.template = os.path.join(b.tmp, "s.db")
        b.init_store(db=cls.template)
        b.ok(["producer", "add", "P1", "منتج"], db=cls.template)
        for code, (name, bc) in CATALOG.items():
            args = ["product", "add", code, name, "100", "--producer", "P1"]
            if bc:
                args += ["--barcode", bc]
            b.ok(args, db=cls.template)

    @classmethod
    def tearDownClass(cls):
        cls.builder.doCleanups()

    def setUp(self):
        super().setUp()
        self.db = self.template      # read-only use

    def search(self, text):
        return sorted(p["code"] for p in
                      self.j(["product", "list", "--search", text])["products"])

    def expect(self, text, codes, why):
        with self.subTest(search=text):
            self.assertEqual(self.search(text), sorted(codes),
                             "search %r (%s)" % (text, why))
        self.note("search %r -> %s (%s)" % (text, sorted(codes), why))

    def test_everything_without_search(self):
        self.assertEqual(sorted(p["code"] for p in
                                self.j(["product", "list"])["products"]),
                         sorted(CATALOG))
        self.expect("", CATALOG, "empty search lists everything")

    def test_code_prefix(self):
        self.expect("HNY", ["HNY-1"], "code prefix")
        self.expect("hny", ["HNY-1"], "code prefix, lower case")
        self.expect("Olv-", ["OLV-6"], "code prefix, mixed case")
        self.expect("HNY-1", ["HNY-1"], "whole code")
        self.expect("NY-1", [], "not a prefix, not in a name")

    def test_barcode(self):
        self.expect("6281234567890", ["COF-3"], "exact barcode")
        self.expect("6281000000011", ["HNY-1"], "exact barcode")

    def test_arabic_normalisation(self):
        self.expect("احمد", ["HNY-1"], "hamza on alef ignored: أحمد")
        self.expect("أحمد", ["HNY-1"], "hamza typed as stored")
        self.expect("مربي", ["JAM-2"], "alef maqsura = yaa: مربى")
        self.expect("قهوه", ["COF-3"], "taa marbuta = haa: قهوة")
        self.expect("قهوة", ["COF-3"], "taa marbuta as stored")
        self.expect("تمر", ["DAT-4"], "tashkeel in the name ignored")
        self.expect("تَمْر", ["DAT-4"], "tashkeel in the query ignored")
        self.expect("مجدول", ["DAT-4"], "second word, tashkeel ignored")
        self.expect("زيت", ["OIL-5"], "tatweel in the name ignored")
        self.expect("زيـت", ["OIL-5"], "tatweel in the query ignored")
        self.expect("اسطنبولي", ["ISL-7"], "alef with hamza below: إ")
        self.expect("امنة", ["MAD-8"], "alef with madda: آ")
        self.expect("زيتون", ["OIL-5"], "substring")

    def test_latin_case_folding(self):
        self.expect("OLIVE", ["OLV-6"], "upper case finds 'Olive wood bowl'")
        self.expect("wood", ["OLV-6"], "substring")
        self.expect("WOOD BOWL", ["OLV-6"], "with a space")

    def test_short_queries(self):
        self.expect("ق", ["COF-3"], "one Arabic letter")
        self.expect("قه", ["COF-3"], "two Arabic letters")
        self.expect("قة", ["COF-3"], "two letters, taa marbuta = haa")
        self.expect("ضظ", [], "two letters in no name")
        self.expect("ز", ["OIL-5"], "one letter, tatweel in the name")
        self.expect("wo", ["OLV-6"], "two Latin letters")
        self.expect("BO", ["OLV-6"], "two Latin letters, upper case")
        self.expect("X", ["X_9"], "one letter: code prefix X_9")
        self.expect("تَ", ["DAT-4", "OIL-5"], "one letter plus tashkeel")

    def test_no_match_and_wildcards(self):
        self.expect("xyzzy", [], "no match: empty list")
        self.expect("سمك", [], "no match: empty list")
        self.expect("%", ["X_9"], "'%' is literal: only '100% pure'")
        self.expect("_", [], "'_' is literal: no code starts with it")
        self.expect("x_", ["X_9"], "'x_' is a code prefix")
        self.expect("%%%", [], "'%%%' matches nothing")
        self.expect("a\"b", [], "a double quote does not break the query")
        self.expect("' OR 1=1 --", [], "no SQL injection")


if __name__ == "__main__":
    H.main()
