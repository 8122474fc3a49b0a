"""The one error shape the file layer raises for a clerk: clerk_message is a plain Chinese sentence."""


class ClerkError(Exception):
    def __init__(self, clerk_message: str):
        super().__init__(clerk_message)
        self.clerk_message = clerk_message
