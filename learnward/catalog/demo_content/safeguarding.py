"""Demo course: Safeguarding basics."""

from __future__ import annotations

SAFEGUARDING = {
    "slug": "safeguarding-basics",
    "title": "Safeguarding basics",
    "summary": "Recognise signs of abuse and neglect, respond well when someone discloses, and "
    "know exactly who to tell and how to record it.",
    "description": (
        "Anyone who works with learners, whether children, young people or adults at risk, "
        "has a part to play in keeping them safe. This course covers the essentials every "
        "member of staff and every volunteer needs, whatever their role.\n\n"
        "It does not replace your organisation's own safeguarding policy: read that "
        "alongside this course, and find out who your designated safeguarding lead is."
    ),
    "cpd_hours": "2.0",
    "course_type": "vocational",
    "pass_mark": 80,
    "certificate_validity_months": 12,
    "max_attempts": 3,
    "entry_requirements": "",
    "modules": [
        {
            "title": "Understanding safeguarding",
            "lessons": [
                {
                    "title": "What safeguarding means",
                    "minutes": 10,
                    "body": """\
**Safeguarding** means protecting people's health, wellbeing and human rights, and enabling
them to live free from harm, abuse and neglect. It covers children and young people under 18
and adults who, because of care and support needs, cannot protect themselves.

Safeguarding is everyone's responsibility. You do not need to be certain that something is
wrong, and you are not expected to investigate. Your job is to notice, to respond
appropriately, and to pass your concern to the right person quickly.

Every organisation working with learners should have a **designated safeguarding lead**
(DSL): a trained person who receives concerns, decides what happens next and, where needed,
refers to children's social care, the local authority's adult safeguarding team or the
police. Find out who your DSL is and how to reach them, including out of hours.

The law in England draws on the Children Act 1989 and 2004, the Care Act 2014 and statutory
guidance such as *Working Together to Safeguard Children*. Other UK nations have equivalent
legislation. You do not need to know the legislation in detail, but you should know that
sharing information to protect someone from harm is lawful and expected.
""",
                },
                {
                    "title": "Recognising abuse and neglect",
                    "minutes": 15,
                    "body": """\
Abuse can take many forms, and people may experience more than one at a time. The main
categories are:

- **physical abuse**: hitting, shaking, misuse of medication, inappropriate restraint;
- **emotional or psychological abuse**: threats, humiliation, isolation, controlling
  behaviour;
- **sexual abuse and exploitation**, including online;
- **neglect and self-neglect**: failing to meet basic needs for food, warmth, hygiene or
  medical care;
- **financial or material abuse**: theft, fraud, pressure over money or possessions;
- **discriminatory abuse**, **domestic abuse**, **modern slavery** and **organisational
  abuse**, where poor practice is built into how a service runs.

Signs are often indirect. A learner might become withdrawn, miss sessions without
explanation, seem frightened of a particular person, have injuries that are not explained or
that do not match the explanation, or suddenly have unexplained money or gifts. Changes in
behaviour are as important as physical signs.

None of these signs proves abuse, and many have innocent explanations. Look for patterns and
trust your instinct that something is not right. Write down what you saw and heard, and raise
it with your DSL; they may hold other information that completes the picture.
""",
                },
            ],
        },
        {
            "title": "Responding and reporting",
            "lessons": [
                {
                    "title": "When someone tells you",
                    "minutes": 10,
                    "body": """\
When a learner discloses abuse, how you respond matters. It may have taken great courage to
speak, and a poor response can stop them telling anyone else.

**Listen** calmly and give them your full attention. Let them tell you in their own words and
at their own pace. **Do not ask leading questions** such as "Did he hit you?"; if you need to
clarify, use open prompts such as "Tell me more" or "What happened next?".

**Reassure** them that they were right to tell you and that it is not their fault. **Do not
promise to keep it secret.** Explain honestly that you will need to tell the person whose job
is to help keep them safe, and tell them what will happen next as far as you know.

**Do not** confront the person alleged to be responsible, and do not try to investigate
yourself. If someone is in immediate danger, call **999** first.

Straight after the conversation, write a factual record: the date and time, who was present,
what the person said in their own words, what you observed, and what you said. Sign and date
it, then pass it to your DSL the same day.
""",
                },
                {
                    "title": "Recording and sharing information",
                    "minutes": 10,
                    "body": """\
Good records protect learners and staff. Keep them **factual, accurate and timely**. Separate
what you saw or were told from your own opinion, and label opinion clearly as such. Use the
person's own words in quotation marks where you can.

Store safeguarding records securely and separately from general learner files, with access
limited to those who need it, usually the DSL and their deputies. Do not keep copies in your
own email, notebook or personal devices.

Data protection law does **not** stop you sharing information to keep someone safe. Where
there is a risk of harm, the UK GDPR and the Data Protection Act 2018 allow sharing without
consent when seeking consent would put the person at risk or is not possible. Share only what
is necessary, with the people who need it, and record what you shared, with whom and why.

Finally, look after yourself. Hearing a disclosure can be upsetting. Your DSL or line manager
should offer support, and you should not carry the information alone.
""",
                },
            ],
        },
    ],
    "assessment": {
        "title": "Safeguarding basics: final assessment",
        "instructions": "Five questions. You need 80% to pass.",
        "time_limit_minutes": None,
        "questions": [
            {
                "kind": "true_false",
                "text": "Safeguarding is only the responsibility of the designated "
                "safeguarding lead.",
                "explanation": "Safeguarding is everyone's responsibility; the DSL receives "
                "and acts on the concerns everyone else raises.",
                "choices": [("True", False), ("False", True)],
            },
            {
                "kind": "single",
                "text": "A learner tells you they are being hurt at home and asks you not to "
                "tell anyone. What do you do?",
                "explanation": "You cannot promise confidentiality: explain that you must pass "
                "it on to keep them safe, then tell the DSL the same day.",
                "choices": [
                    (
                        "Explain that you must tell the person who can help keep them safe, "
                        "then tell the DSL",
                        True,
                    ),
                    ("Promise to keep it secret so they keep trusting you", False),
                    ("Speak to the person they say is hurting them", False),
                    ("Wait to see whether they mention it again", False),
                ],
            },
            {
                "kind": "multiple",
                "text": "Which of these could be signs of abuse or neglect? Choose all that apply.",
                "explanation": "Unexplained injuries, withdrawal and unexplained money or gifts "
                "can all be signs; none proves abuse on its own.",
                "choices": [
                    ("Injuries that do not match the explanation given", True),
                    ("Becoming withdrawn or frightened of a particular person", True),
                    ("Sudden unexplained money or gifts", True),
                    ("Asking a question in class", False),
                ],
            },
            {
                "kind": "single",
                "text": "Which is the best question to ask during a disclosure?",
                "explanation": "Open prompts let the person use their own words; leading "
                "questions can distort what they say.",
                "choices": [
                    ("\u201cCan you tell me more about that?\u201d", True),
                    ("\u201cDid your stepfather do this?\u201d", False),
                    ("\u201cAre you sure that really happened?\u201d", False),
                ],
            },
            {
                "kind": "true_false",
                "text": "Data protection law prevents you from sharing information about a "
                "learner without their consent, even to protect them from harm.",
                "explanation": "The law allows necessary, proportionate sharing to keep "
                "someone safe, without consent where asking would increase the risk.",
                "choices": [("True", False), ("False", True)],
            },
        ],
    },
}
