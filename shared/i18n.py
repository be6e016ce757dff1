"""English and Hindi texts for what the services say to people."""
from __future__ import annotations

LANGUAGES = ("en", "hi")

MESSAGES: dict[str, tuple[str, str]] = {
    "validation_error": (
        "Some fields are missing or invalid; see details, fix them and send again.",
        "कुछ फ़ील्ड खाली या गलत हैं; details देखें, उन्हें ठीक करके फिर भेजें।"),
    "unauthorized": (
        "Log in first: send 'Authorization: Bearer <token>' from POST /api/v1/auth/login.",
        "पहले लॉग इन करें: POST /api/v1/auth/login से मिला 'Authorization: Bearer <token>' भेजें।"),
    "token_invalid": (
        "Your login token is invalid or has expired; log in again.",
        "आपका लॉग इन टोकन गलत है या उसकी अवधि समाप्त हो गई है; फिर से लॉग इन करें।"),
    "forbidden": (
        "Your role may not do this; ask an admin if you need it.",
        "आपकी भूमिका को यह करने की अनुमति नहीं है; ज़रूरत हो तो एडमिन से पूछें।"),
    "not_found": (
        "Nothing was found at this address; check the id.",
        "इस पते पर कुछ नहीं मिला; आईडी जाँचें।"),
    "method_not_allowed": (
        "This address does not accept this method.",
        "यह पता इस तरीके (method) को स्वीकार नहीं करता।"),
    "conflict": (
        "This conflicts with what is already stored; reload and try again.",
        "यह पहले से सहेजी गई जानकारी से टकराता है; फिर से लोड करके प्रयास करें।"),
    "already_exists": (
        "This already exists; use another code or edit the existing one.",
        "यह पहले से मौजूद है; दूसरा कोड चुनें या मौजूदा को बदलें।"),
    "unknown_material": (
        "No material with this SKU; register it first (POST /api/v1/materials).",
        "इस SKU का कोई सामान नहीं है; पहले उसे दर्ज करें (POST /api/v1/materials)।"),
    "unknown_depot": (
        "No depot with this code; register it first (POST /api/v1/depots).",
        "इस कोड का कोई डिपो नहीं है; पहले उसे दर्ज करें (POST /api/v1/depots)।"),
    "bad_login": (
        "Wrong username or password.",
        "उपयोगकर्ता नाम या पासवर्ड गलत है।"),
    "too_many_attempts": (
        "Too many failed attempts; wait a few minutes (see Retry-After) and try again.",
        "बहुत अधिक असफल प्रयास हुए; कुछ मिनट रुकें (Retry-After देखें) और फिर प्रयास करें।"),
    "payload_too_large": (
        "The request body is too large.",
        "अनुरोध का आकार बहुत बड़ा है।"),
    "internal_error": (
        "Something went wrong on our side; try again, and tell an admin if it keeps happening.",
        "हमारी ओर से कुछ गड़बड़ हुई; फिर से प्रयास करें, और बार-बार हो तो एडमिन को बताएँ।"),
    "insufficient_stock": (
        "Not enough stock is available for this; nothing was changed. See details for what is available.",
        "इसके लिए पर्याप्त स्टॉक उपलब्ध नहीं है; कुछ नहीं बदला गया। उपलब्ध मात्रा details में देखें।"),
    "wrong_depot": (
        "You can record movements only at your own depot.",
        "आप केवल अपने डिपो पर ही स्टॉक की आवाजाही दर्ज कर सकते हैं।"),
    "same_depot": (
        "A transfer must go to a different depot.",
        "स्थानांतरण किसी दूसरे डिपो में ही हो सकता है।"),
    "stock_busy": (
        "This stock is very busy right now; try again in a moment.",
        "यह स्टॉक अभी बहुत व्यस्त है; थोड़ी देर में फिर प्रयास करें।"),
    "store_unavailable": (
        "The data could not be saved or read just now (the store or its disk is failing). "
        "Try again in a moment, and tell an admin if it keeps happening.",
        "डेटा अभी सहेजा या पढ़ा नहीं जा सका (स्टोर या उसकी डिस्क में गड़बड़ी है)। "
        "थोड़ी देर में फिर प्रयास करें, और बार-बार हो तो एडमिन को बताएँ।"),
    "http_error": (
        "The request could not be handled.",
        "अनुरोध पूरा नहीं हो सका।"),
    "alert_not_open": (
        "Only an open alert can be acknowledged; this one is {status}.",
        "केवल खुले अलर्ट को ही स्वीकार किया जा सकता है; यह अलर्ट {status} है।"),
    "alert_already_resolved": (
        "This alert is already resolved.",
        "यह अलर्ट पहले ही हल हो चुका है।"),
    "quota_exceeded": (
        "Monthly cap for {category} is {cap} {unit}; {used} {unit} already used in {month}, "
        "{left} {unit} left, and this request needs {requested} {unit}.",
        "{category} की मासिक सीमा {cap} {unit} है; {month} में {used} {unit} उपयोग हो चुका है, "
        "{left} {unit} बाकी है, और इस अनुरोध में {requested} {unit} चाहिए।"),
    "illegal_transition": (
        "This requisition is '{status}' now, so '{action}' is not possible.",
        "यह अनुरोध अभी '{status}' स्थिति में है, इसलिए '{action}' नहीं हो सकता।"),
    "artisan_inactive": (
        "This artisan is not registered or not active; ask an admin to register or reactivate them.",
        "यह कारीगर पंजीकृत या सक्रिय नहीं है; पंजीकरण या पुनः सक्रिय करने के लिए एडमिन से कहें।"),
    "material_not_known": (
        "The requests service does not know this SKU yet; check it, or try again in a moment.",
        "अनुरोध सेवा अभी इस SKU को नहीं जानती; उसे जाँचें या थोड़ी देर बाद फिर प्रयास करें।"),
    "idempotency_key_reused": (
        "This Idempotency-Key was already used for a different request; use a new key.",
        "यह Idempotency-Key पहले किसी दूसरे अनुरोध के लिए उपयोग हो चुकी है; नई key का उपयोग करें।"),
    "busy": (
        "This record is very busy; try again in a moment.",
        "यह रिकॉर्ड अभी बहुत व्यस्त है; थोड़ी देर बाद फिर प्रयास करें।"),
    "csrf_failed": (
        "This page is out of date or was not sent by rawbank; reload the page and try again.",
        "यह पेज पुराना है या rawbank से नहीं भेजा गया; पेज फिर से लोड करके दोबारा प्रयास करें।"),
}


def pick_language(accept_language: str | None) -> str:
    """Choose 'hi' or 'en' from an Accept-Language header (English by default)."""
    best, best_q = "en", -1.0
    for part in (accept_language or "").split(","):
        lang, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        base = lang.strip().lower().split("-")[0]
        if base in LANGUAGES and q > best_q:
            best, best_q = base, q
    return best


class _Keep(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def message(code: str, lang: str = "en", params: dict | None = None) -> str:
    """The text for a message code in a language, English if the code is unknown.

    `{name}` placeholders are filled from `params` (an error's details); unknown ones stay as they are.
    """
    en, hi = MESSAGES.get(code, MESSAGES["http_error"])
    text = hi if lang == "hi" else en
    if params and "{" in text:
        text = text.format_map(_Keep({k: v for k, v in params.items() if isinstance(v, (str, int))}))
    return text
