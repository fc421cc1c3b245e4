"""Kakao i Open Builder limits for SkillResponse 2.0 (Kakao's skill response guide). We
keep under them so Kakao never rejects a reply; the JSON Schema in
``tests/fixtures/kakao/skill_response.schema.json`` checks every reply in the tests."""

OUTPUTS_MAX = 3
SIMPLE_TEXT_MAX = 1000
QUICK_REPLIES_MAX = 10
QUICK_REPLY_LABEL_MAX = 14
BUTTONS_MAX = 3
BUTTON_LABEL_MAX = 14
CARD_TITLE_MAX = 50
CARD_DESCRIPTION_MAX = 230
LIST_ITEMS_MAX = 5
LIST_BUTTONS_MAX = 2
LIST_HEADER_MAX = 15
LIST_ITEM_TITLE_MAX = 50
LIST_ITEM_DESCRIPTION_MAX = 50
RESPONSE_BYTES_MAX = 30 * 1024
# Kakao waits 5 s for a skill; we answer or switch to the callback well before.
REPLY_BUDGET_S = 3.5
CALLBACK_VALID_S = 60
