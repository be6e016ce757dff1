"""Each answer to an inbound SMS is sent back at the board's cost: it fits one SMS part, two with a long name."""
import re

import pytest

from services.requests.inbound import REPLIES
from shared.i18n import translate

GSM7 = ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
        "¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_ESCAPED = "^{}\\[~]|€\f"  # two septets each


def parts(text: str) -> int:
    """SMS parts: GSM-7 160 single, 153 each when split; else UCS-2 70 single, 67 each."""
    if all(ch in GSM7 or ch in GSM7_ESCAPED for ch in text):
        size, single, each = sum(2 if ch in GSM7_ESCAPED else 1 for ch in text), 160, 153
    else:
        size, single, each = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text), 70, 67
    return 1 if size <= single else -(-size // each)


USUAL = {"en": {"ref": "b9d62d04", "items": "10 kg Cotton yarn 40s", "received": "8.5 kg Cotton yarn 40s",
                "unit": "litre", "units": "pieces", "quantity": "2.5"},
         "hi": {"ref": "b9d62d04", "items": "10 किलो सूती धागा 40s", "received": "8.5 किलो सूती धागा 40s",
                "unit": "लीटर", "units": "नग", "quantity": "2.5"}}
LONG = {"en": {**USUAL["en"], "items": "1250.5 kg Dyed cotton yarn 2/40s",
               "received": "1249.75 kg Dyed cotton yarn 2/40s", "quantity": "1249.75"},
        "hi": {**USUAL["hi"], "items": "1250.5 किलो रंगा सूती धागा 2/40s",
               "received": "1249.75 किलो रंगा सूती धागा 2/40s", "quantity": "1249.75"}}


def test_the_counting_is_the_gateways():
    assert (parts("a" * 160), parts("a" * 161), parts("a" * 306), parts("a" * 307)) == (1, 2, 2, 3)
    assert (parts("क" * 70), parts("क" * 71), parts("क" * 134), parts("क" * 135)) == (1, 2, 2, 3)
    assert parts("{" * 80) == 1 and parts("{" * 81) == 2  # escaped characters count twice


@pytest.mark.parametrize("lang", ["en", "hi"])
@pytest.mark.parametrize("key", sorted(REPLIES))
def test_every_reply_fits_one_part_with_a_usual_name_and_two_with_a_long_one(key, lang):
    """Replies ran to 3 parts in English and 5 in Hindi (a short report), each part paid for."""
    usual, long = (translate(REPLIES[key], lang, **values[lang]) for values in (USUAL, LONG))
    assert not re.search(r"\{\w+\}", usual), usual
    assert parts(long) <= 2, (len(long), long)
    if key not in ("short_reported", "already_confirmed") or lang == "en":  # Hindi: 70 characters with a name
        assert parts(usual) == 1, (len(usual), usual)
