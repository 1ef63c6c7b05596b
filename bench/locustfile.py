"""Unit admins browsing, searching and saving drafts (run by bench/load.py in locust's own virtualenv; not imported
by the platform or its tests). Accounts and record ids come from the environment bench/load.py sets."""

import itertools
import os
import random
import re

from locust import HttpUser, between, task

ACCOUNTS = os.environ["IODP_LOAD_ACCOUNTS"].split(",")
PASSWORD = os.environ["IODP_LOAD_PASSWORD"]
ORGANIZATIONS = [int(x) for x in os.environ["IODP_LOAD_ORGANIZATIONS"].split(",")]
TERMS = ["IUPAC", "国际", "联合会", "Union", "Science", "化学", "Internatonal Union", "wang", "李", "王伟", "zhang"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORMSETS = ("languages", "education", "employment", "positions")


class UnitAdmin(HttpUser):
    wait_time = between(1, 3)
    started = itertools.count()

    def on_start(self):
        self.account = ACCOUNTS[next(self.started) % len(ACCOUNTS)]  # one account per simulated user
        page = self.client.get("/accounts/login/", name="login page")
        response = self.client.post("/accounts/login/", {
            "username": self.account, "password": PASSWORD, "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
        }, name="login", allow_redirects=False)
        if response.status_code != 302:
            response.failure(f"login of {self.account} answered {response.status_code}")
        self.saved = 0

    @task(3)
    def home(self):
        self.client.get("/", name="home")

    @task(4)
    def organization_list(self):
        self.client.get(f"/organizations/?page={random.randint(1, 50)}", name="organization list")

    @task(3)
    def organization_search(self):
        self.client.get("/organizations/", params={"q": random.choice(TERMS)}, name="organization search")

    @task(3)
    def typeahead(self):
        self.client.get("/organizations/search.json", params={"q": random.choice(TERMS)}, name="typeahead")

    @task(3)
    def organization_detail(self):
        self.client.get(f"/organizations/{random.choice(ORGANIZATIONS)}/", name="organization detail")

    @task(4)
    def expert_list(self):
        self.client.get("/experts/", params={"kind": random.choice(["", "reserve", "serving"])}, name="expert list")

    @task(2)
    def expert_search(self):
        self.client.get("/experts/", params={"q": random.choice(TERMS)}, name="expert search")

    @task(1)
    def drafts(self):
        self.client.get("/drafts/", name="draft box")

    @task(1)
    def save_draft(self):
        page = self.client.get("/experts/reserve/new/", name="new reserve expert (form)")
        match = CSRF.search(page.text)
        if match is None:
            return
        self.saved += 1
        data = {"csrfmiddlewaretoken": match.group(1), "action": "save", "name_zh": f"压测专家{self.saved}"}
        for prefix in FORMSETS:
            data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                         f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
        with self.client.post("/experts/reserve/new/", data, name="save draft", allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"保存 answered {response.status_code}")
