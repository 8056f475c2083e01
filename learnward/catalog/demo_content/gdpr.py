"""Demo course: GDPR essentials for training providers."""

from __future__ import annotations

GDPR = {
    "slug": "gdpr-essentials-for-training-providers",
    "title": "GDPR essentials for training providers",
    "summary": "What the UK GDPR asks of a training provider, from the lawful basis for each "
    "use of learners' data to answering a subject access request on time.",
    "description": (
        "Training providers hold a surprising amount of personal data: enrolment details, "
        "progress records, assessment answers, certificates, and sometimes health or "
        "equality information for awarding bodies.\n\n"
        "This course explains the principles of the UK GDPR in the context of a training "
        "business, and gives you practical habits for your own role. It suits anyone who "
        "enrols, supports or assesses learners, and managers who sign off new processes.\n\n"
        "## What you will be able to do\n\n"
        "- name the lawful basis for each way your organisation uses learners' data;\n"
        "- recognise special category data and the extra conditions it needs;\n"
        "- handle a subject access request within the legal deadline;\n"
        "- spot a personal data breach and report it internally without delay."
    ),
    "cpd_hours": "3.0",
    "course_type": "vocational",
    "pass_mark": 70,
    "certificate_validity_months": 24,
    "max_attempts": 3,
    "entry_requirements": "None. Some experience of working with learner records helps.",
    "modules": [
        {
            "title": "Principles and lawful bases",
            "lessons": [
                {
                    "title": "Why data protection matters to a training provider",
                    "minutes": 10,
                    "body": """\
A learner who enrols with you trusts you with more than a name and an email address. Over a
course you build up a record of what they studied, when, how they did in assessments, and
perhaps details they would not share with most people, such as a disability that affects how
they learn.

The **UK GDPR** and the **Data Protection Act 2018** set out how that information may be
used. They apply to any organisation that decides why and how personal data is processed: the
*controller*. If your organisation chooses what data to collect about learners and what to do
with it, it is a controller, even if a software company hosts the platform for you. That
software company is a *processor*: it acts only on your instructions, under a written
contract.

Personal data is any information that relates to an identified or identifiable living person.
A learner's name is obviously personal data; so is an assessment score linked to their
account number, an IP address in a server log, or a tutor's note about their progress.

Getting this right is not only about avoiding fines. Learners, employers who pay for training
and awarding bodies all rely on you to keep records accurate and secure. A provider that can
explain clearly what it holds and why is easier to trust, and easier to buy from.
""",
                },
                {
                    "title": "The seven principles",
                    "minutes": 15,
                    "body": """\
Article 5 of the UK GDPR sets out seven principles. Every process you run should be able to
show it meets them.

1. **Lawfulness, fairness and transparency.** You need a lawful basis, you must not use data
   in ways people would not reasonably expect, and you must tell them what you do in a
   privacy notice they can actually find and understand.
2. **Purpose limitation.** Collect data for specified purposes and do not reuse it for
   something incompatible. Enrolment data collected to deliver a course is not automatically
   available for marketing.
3. **Data minimisation.** Ask only for what you need. If an awarding body needs a date of
   birth but not a home address, do not ask for the address "just in case".
4. **Accuracy.** Keep records correct and let learners fix mistakes, such as a misspelt name
   that would otherwise be printed on a certificate.
5. **Storage limitation.** Keep data no longer than you need it, and have a written retention
   schedule that says how long each kind of record is kept and why.
6. **Integrity and confidentiality.** Protect data against loss, theft and unauthorised
   access with appropriate technical and organisational measures.
7. **Accountability.** Be able to *show* that you comply: records of processing, policies,
   training, and logs of who did what.

A useful test for any new idea is to ask which principle it might strain. A plan to keep
every assessment answer forever, for example, strains storage limitation unless you can say
why the answers are still needed.
""",
                },
                {
                    "title": "Choosing the right lawful basis",
                    "minutes": 15,
                    "body": """\
Article 6 lists six lawful bases. You must identify one for each purpose *before* you start,
record it, and tell people in your privacy notice. The three a training provider uses most
are these.

**Contract.** Processing that is necessary to deliver a course the learner signed up for:
recording their enrolment, tracking lesson progress, marking assessments and issuing the
certificate they earned.

**Legal obligation.** Processing the law requires, such as keeping financial records or
answering a regulator. Keeping a record of data protection requests you handled also falls
here.

**Legitimate interests.** Processing that is necessary for a genuine interest of yours or a
third party, balanced against the learner's interests and rights. Letting an employer verify
a certificate the learner has shown them is a good example. People have the right to object
to processing based on legitimate interests.

**Consent** is the right basis only when the learner has a real choice and can refuse or
withdraw without losing anything else, such as a newsletter about new courses. Consent must
be a clear, specific, unticked opt-in, and you must keep a record of what the person agreed
to and when. Do not use consent for things the course cannot run without; that is contract.

Special category data (health, ethnicity, religion, sexual orientation and others) needs an
Article 9 condition as well as an Article 6 basis. For equality information an awarding body
requests, that is usually the learner's **explicit consent**, given separately and recorded
with the exact wording they saw.
""",
                },
            ],
        },
        {
            "title": "Rights, requests and breaches",
            "lessons": [
                {
                    "title": "Learners' rights and subject access requests",
                    "minutes": 15,
                    "body": """\
Learners have rights over their data: to be informed, to access it, to have it corrected or
erased, to restrict processing, to data portability, and to object. Most requests you receive
will be **subject access requests** (SARs): a learner asking for a copy of what you hold.

A request does not need to use any particular words or go to any particular person. "Can you
send me everything you have on me?" in an email to a tutor is a valid SAR. Anyone who might
receive one should know to pass it to the person responsible straight away.

You have **one calendar month** to respond, counted from the day after you receive the
request (or from when you have confirmed the requester's identity, if you reasonably needed
to). If the month ends on a day with no equivalent date, the deadline is the last day of that
month. You can extend by up to two further months for complex or numerous requests, but you
must tell the learner within the first month and explain why.

Check identity proportionately: a request from the email address on the account usually needs
nothing more, while a request by post from an unfamiliar address may need more. Do not ask for
more documents than you need, and never charge a fee for a normal request.

The response should include a copy of the data and the supporting information: why you hold
it, who you share it with, how long you keep it, where it came from, and the learner's other
rights, including the right to complain to the Information Commissioner's Office.
""",
                },
                {
                    "title": "Recognising and reporting a breach",
                    "minutes": 10,
                    "body": """\
A **personal data breach** is a security incident that leads to the accidental or unlawful
destruction, loss, alteration, unauthorised disclosure of, or access to, personal data. It is
wider than hacking. Sending a class list to the wrong employer, losing an unencrypted laptop
with learner records, or a tutor's account being used by someone else are all breaches.

If you suspect a breach, report it internally **at once**, even if you are not sure. The
organisation must assess it and, unless it is unlikely to result in a risk to people's rights
and freedoms, notify the ICO **within 72 hours** of becoming aware of it. The clock starts
when the organisation becomes aware, which is often when a member of staff first notices
something wrong, so delays in reporting internally eat into that time.

Where the breach is likely to result in a *high* risk to individuals, for example exposure of
health information or details that enable fraud, the people affected must also be told
without undue delay, in plain language, with advice on what they can do to protect
themselves.

Every breach, notifiable or not, should be recorded with its facts, effects and the remedial
action taken. That record is part of showing accountability, and patterns in it help you fix
the process that keeps going wrong.
""",
                },
            ],
        },
    ],
    "assessment": {
        "title": "GDPR essentials: final assessment",
        "instructions": "Six questions. You need 70% to pass and have three attempts.",
        "time_limit_minutes": None,
        "questions": [
            {
                "kind": "single",
                "text": "A software company hosts your learning platform and acts only on your "
                "instructions. What is it under the UK GDPR?",
                "explanation": "A processor acts on the controller's instructions under a "
                "written contract; your organisation, which decides why and how data is used, "
                "is the controller.",
                "choices": [
                    ("A processor", True),
                    ("A controller", False),
                    ("A data subject", False),
                    ("A supervisory authority", False),
                ],
            },
            {
                "kind": "single",
                "text": "Which lawful basis usually covers marking a learner's assessment on a "
                "course they enrolled on?",
                "explanation": "Marking is necessary to deliver the course the learner signed "
                "up for, so the basis is contract.",
                "choices": [
                    ("Contract", True),
                    ("Consent", False),
                    ("Vital interests", False),
                    ("Public task", False),
                ],
            },
            {
                "kind": "multiple",
                "text": "Which of these are special category data? Choose all that apply.",
                "explanation": "Health (including disability) and racial or ethnic origin are "
                "special categories. A postcode and a date of birth are personal data but not "
                "special category data.",
                "partial_credit": True,
                "choices": [
                    ("A declared learning difficulty", True),
                    ("Ethnic origin", True),
                    ("Home postcode", False),
                    ("Date of birth", False),
                ],
            },
            {
                "kind": "true_false",
                "text": "A subject access request is only valid if it is made in writing to "
                "the data protection officer.",
                "explanation": "A request can be made to anyone in the organisation, in any "
                "words, including verbally.",
                "choices": [("True", False), ("False", True)],
            },
            {
                "kind": "single",
                "text": "How long do you normally have to answer a subject access request?",
                "explanation": "One calendar month, extendable by up to two further months for "
                "complex or numerous requests if you tell the requester within the first month.",
                "choices": [
                    ("One calendar month", True),
                    ("40 days", False),
                    ("72 hours", False),
                    ("Three months", False),
                ],
            },
            {
                "kind": "true_false",
                "text": "A notifiable personal data breach must be reported to the ICO within "
                "72 hours of the organisation becoming aware of it.",
                "explanation": "The 72 hours run from awareness, which is why staff must report "
                "suspected breaches internally at once.",
                "choices": [("True", True), ("False", False)],
            },
        ],
    },
}
