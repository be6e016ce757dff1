"""The Hindi the `rawbank` command says uses one plain word for one thing: "फ़ोल्डर" for a directory (five texts
still said "डायरेक्टरी": dlq's no-broker message, admin_api's refused token, the data-dir and `user` help, and
dev's broker failure), "अटका संदेश" for a dead letter and "संदेश-कतार" for a topic (`rawbank reconcile --lang hi`
said "डेड लेटर", "टॉपिक"), and "गुप्त कुंजी" for the token secret (`rawbank token` said "विकास (development)
सीक्रेट"). Codes and command names stay as they are.

The help and messages still said "डिफ़ॉल्ट" (--wait, --lang, --via-api), "रनटाइम" (--data-dir), "पार्टीशन" (the topics'
partitions), "एम्बेडेड मोड", "प्रोडक्शन", "एनवायरनमेंट वेरिएबल", "कंज़्यूमर" and "इवेंट": now "पहले से तय" or "न दें
तो", "rawbank", "हिस्से", "एक मशीन पर चलते rawbank में", "असली इस्तेमाल के लिए", "सेटिंग के नाम", "उपभोक्ता" and
"घटना", the words the rest of the catalog uses.

They also said "स्टोर" for a service's data (a storeroom to a depot's staff): now "डेटा फ़ाइल" for its file,
"सेवा का डेटा" for what it holds, "डेटा भंडार" where the catalog said so already.

The settings help, `rawbank` help and the alerts also said "आउटबॉक्स", "रिले", "वर्कर", "गेटवे", "वेबहुक", "रिवर्स
प्रॉक्सी", "कैश", "बाइट" and "चेकआउट": now "भेजने को रखी घटनाएँ", "घटनाएँ आगे भेजने वाला काम", "प्रक्रिया", "SMS
भेजने वाली सेवा", "सूचना-पता (webhook)", "rawbank के आगे लगे प्रोग्राम (reverse proxy, जैसे nginx)", "सहेजी प्रति",
"आकार" or "मूल सामग्री", and "rawbank के कोड वाला फ़ोल्डर".

The commands' texts also said "ब्रोकर" (a middleman, to a depot's staff), "अलर्ट", "सर्वर" and "लॉग" (a file's
record, not "लॉग इन"): now "संदेश-केंद्र", "चेतावनी", "ई-मेल भेजने वाली सेवा (SMTP)" or "प्रोग्राम", and
"ब्योरा". The pages said "अलर्ट" in some texts and "चेतावनी" in others (the board's heading one, its buttons the
other): every text says "चेतावनी" now, the Alerts page "चेतावनियाँ"; "हेडर" stays in the SMS gateway's setting, an
HTTP term next to the header's own name (Idempotency-Key), which no everyday word says."""
from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from shared import admin_api, cli, config as config_module, dev, dlq_cli, local_cli, reconcile
from shared.config import Config, SettingError
from shared.i18n import translate

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "shared" / "translations" / "hi" / "LC_MESSAGES" / "messages.po"
#: English or jargon written in Devanagari, where a Hindi reader has a word of their own
LOANWORDS = re.compile(r"डायरेक्टरी|डेड[ -]लेटर|टॉपिक|सीक्रेट|\(development\)|विकास \(|"
                       r"डिफ़ॉल्ट|डिफॉल्ट|रनटाइम|पार्टी?ि?शन|एम्बेडेड|प्रोडक्शन|एनवायरनमेंट|वेरिएबल|"
                       r"कंज़्यूमर|कंज्यूमर|इवेंट|स्टोर|"
                       r"आउटबॉक्स|रिले|वर्कर|गेटवे|वेबहुक|प्रॉक्सी|कैश|बाइट|चेकआउट|अलर्ट")


#: the same, in what the `rawbank` command says (its help, messages and `rawbank env`); the pages keep theirs
CLI_LOANWORDS = re.compile(r"ब्रोकर|सर्वर|लॉग(?!िन| इन| आउट)")
CLI_MODULES = {"shared/cli.py", "shared/cli_parser.py", "shared/console.py", "shared/dlq_cli.py", "shared/dev.py",
               "shared/local_cli.py", "shared/reconcile.py", "shared/reconcile_cli.py", "shared/dead_letters.py",
               "shared/admin_api.py", "shared/backup.py", "shared/backup_place.py", "shared/status.py",
               "shared/config.py", "shared/token_check.py", "shared/runner.py", "services/notifier/report_cli.py",
               "services/requests/users.py"}


def hindi_texts():
    with open(CATALOG, "rb") as file:
        for message in read_po(file):
            if message.id:
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                yield message, " ".join(strings)


def test_the_hindi_catalog_says_no_loanword_where_hindi_has_a_word():
    found = {message.id if isinstance(message.id, str) else message.id[0]: LOANWORDS.findall(text)
             for message, text in hindi_texts() if LOANWORDS.search(text)}
    assert not found, found


def test_no_hindi_text_outside_the_catalog_says_them_either():
    """A refusal written in Hindi in the code (config's --host 0.0.0.0 without a secret) said "टोकन सीक्रेट" and
    "डेटा डायरेक्टरी": no catalog check could see it."""
    found = {str(path.relative_to(ROOT)): LOANWORDS.findall(path.read_text(encoding="utf-8"))
             for folder in ("shared", "services") for path in (ROOT / folder).rglob("*.py")
             if LOANWORDS.search(path.read_text(encoding="utf-8"))}
    assert not found, found
    try:
        Config(host="0.0.0.0", jwt_secret=config_module.EMBEDDED_JWT_SECRET).check()
        raise AssertionError("the built-in secret beyond this machine was not refused")
    except SettingError as refused:
        assert "गुप्त कुंजी" in refused.hi and "डेटा फ़ोल्डर" in refused.hi, refused.hi


def test_the_commands_say_folder_stuck_message_queue_and_secret_key_in_hindi():
    assert "डेटा फ़ोल्डर /srv/var पर कोई `rawbank dev` नहीं चल रहा" in translate(
        local_cli.NO_BROKER_KNOWN, "hi", command="rawbank dlq list", path="/srv/var")
    assert "डेटा फ़ोल्डर /srv/var" in translate(admin_api.TOKEN_REFUSED, "hi", command="rawbank reconcile",
                                                url="http://127.0.0.1:8001", error="401", path="/srv/var")
    token = translate(cli.TOKEN_BUILT_IN_SECRET, "hi", path="/srv/var")
    assert "गुप्त कुंजी" in token and "development" not in token and "`rawbank dev --memory`" in token
    assert translate(reconcile.DEAD_LETTERS, "hi", count=2).startswith("अटके संदेश: 2 (संदेश-केंद्र की .dlq कतारें")
    assert "कोई अटका संदेश नहीं" in translate(dlq_cli.NONE, "hi", topics="inventory.events")


def test_the_commands_help_says_default_data_folder_and_partitions_in_plain_hindi():
    said = {message.id: text for message, text in hindi_texts()}
    assert said["partitions for topics rawbank creates"] == (
        "rawbank जो संदेश-कतारें बनाता है, हर कतार कितने हिस्सों में बँटी हो")
    assert "पहले से तय: अंग्रेज़ी" in said[
        "language of the report, and of a refusal (default: English; a refusal in both)"]
    assert "rawbank अपना डेटा किस फ़ोल्डर में रखता है" in said[
        "where the single-machine runtime keeps its data (default RAWBANK_DATA_DIR, else ./var)"]


def test_the_commands_say_a_services_data_and_data_file_not_store():
    said = {message.id: text for message, text in hindi_texts()}
    assert said["check that the services' stores agree; exit 1 on a mismatch"] == (
        "जाँचें कि सेवाओं का डेटा आपस में मेल खाता है; मेल न खाए तो exit 1")


def test_the_settings_and_commands_help_say_outbox_relay_gateway_webhook_proxy_and_cache_in_plain_hindi():
    said = {message.id: text for message, text in hindi_texts()}
    assert said["how often the outbox relay looks for new events when idle"] == (
        "खाली होने पर घटनाएँ आगे भेजने वाला काम कितनी बार देखता है कि भेजने को नई घटनाएँ रखी गई हैं या नहीं")
    assert said["bearer token for the SMS gateway"] == "SMS भेजने वाली सेवा का bearer टोकन"
    assert "rawbank के आगे लगे प्रोग्राम (reverse proxy, जैसे nginx" in said[
        "reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For names the caller"]
    assert "सहेजी प्रति" in said["how long public availability is served from cache"]
    assert said["Webhook {webhook} is failing: {url}"] == "सूचना-पता (webhook) {webhook} विफल हो रहा है: {url}"
    assert "gunicorn की एक ही प्रक्रिया में" in said[
        "API, consumer and relay in one gunicorn worker (single machine; used by dev)"]


def test_the_commands_say_broker_alert_server_and_log_in_plain_hindi():
    found = {message.id: CLI_LOANWORDS.findall(text) for message, text in hindi_texts()
             if {place for place, _ in message.locations} & CLI_MODULES and CLI_LOANWORDS.search(text)}
    assert not found, found
    said = {message.id: text for message, text in hindi_texts()}
    assert said["SMTP server port"] == "ई-मेल भेजने वाली सेवा (SMTP) का पोर्ट"
    assert "चेतावनियाँ देखते रहें" in translate(dlq_cli.RESENT, "hi", count=1)
    assert "(ब्योरा: var/logs/broker.log)" in translate(dev.STARTING_BROKER, "hi", port=9092, log="var/logs/broker.log")
    assert "लॉग इन करने वाले लोग" in said["people who log in"]  # logging in is not a log


def test_the_commands_hindi_written_in_their_code_avoids_the_same_loanwords():
    """`rawbank dev`'s banner said "Broker / ब्रोकर" and its failure "ब्रोकर लॉग", texts written beside their English
    in the code (outside the catalog), where every other line says "संदेश-केंद्र" and "ब्योरा"."""
    devanagari = re.compile(r"[\u0900-\u097F]")
    found = [f"{module}:{number}: {line.strip()}" for module in sorted(CLI_MODULES)
             for number, line in enumerate((ROOT / module).read_text(encoding="utf-8").splitlines(), 1)
             if devanagari.search(line) and CLI_LOANWORDS.search(line)]
    assert not found, "\n".join(found)
