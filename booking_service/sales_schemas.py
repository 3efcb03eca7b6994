"""The body of an event's sales figures, for its organizer's dashboard."""

from pydantic import BaseModel, ConfigDict, Field


class TicketTypeSales(BaseModel):
    ticket_type_id: str
    name: str
    sold: int = Field(description="Seats of the type paid for")
    held: int = Field(description="Seats of the type held or being paid for")
    revenue: int = Field(description="Paid for the type's confirmed seats, in minor units (after vouchers)")


class SalesPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "event_id": "665f1c2e9b1d4a0012345678",
                    "currency": "EUR",
                    "sold": 3,
                    "held": 1,
                    "revenue": 8800,
                    "refunded": 0,
                    "ticket_types": [
                        {
                            "ticket_type_id": "665f1c2e9b1d4a0012345678",
                            "name": "Admission",
                            "sold": 2,
                            "held": 1,
                            "revenue": 4000,
                        }
                    ],
                }
            ]
        }
    )

    event_id: str
    currency: str
    sold: int
    held: int
    revenue: int = Field(description="Paid for the confirmed bookings, in minor units")
    refunded: int = Field(description="Given back on the event's bookings so far, in minor units")
    ticket_types: list[TicketTypeSales] = Field(description="Every type the event sells, hidden ones too")
