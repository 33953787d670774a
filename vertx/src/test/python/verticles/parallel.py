"""Answers on config["address"] with which interpreter and module copy it runs in, and proves that
instances run Python at once: "meet" holds its interpreter's GIL until another instance arrives."""
import sys

import jawait_vertx_testmod as testmod

started = []  # this module's instances: one per isolated interpreter, all of them otherwise


async def start(verticle):
    started.append(verticle.deployment_id)

    @verticle.handler(verticle.config["address"])
    async def describe(msg):
        if msg.body == "meet":
            return testmod.meet()
        return {"interpreter": id(sys), "instances_here": len(started)}
