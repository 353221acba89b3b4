# services/payments-api/rate_limit.tf (acme/infrastructure @ 4be1f07)
# Token-bucket rate limiting for the public payments API, enforced by the
# payments-edge Lambda (ALB target) with counters in DynamoDB.

resource "aws_dynamodb_table" "rate_limits" {
  name         = "acme-rate-limits"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "bucket_key" # "<api_key_id>#<source_ip>" since PR #2329 (pen-test BF-04)

  attribute {
    name = "bucket_key"
    type = "S"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.dynamodb.arn
  }

  point_in_time_recovery {
    enabled = false # counters only; nothing to restore
  }
}

module "payments_edge" {
  source        = "../../modules/lambda-function"
  function_name = "payments-edge"
  runtime       = "python3.13"
  reserved_concurrency = 800

  environment = {
    RATE_LIMIT_TABLE          = aws_dynamodb_table.rate_limits.name
    RATE_LIMIT_PER_KEY_RPS    = "50"   # sustained requests per second per API key
    RATE_LIMIT_BURST          = "200"
    RATE_LIMIT_AUTH_FAILURES  = "10"   # failed authentications per minute per source before a 15-minute block
    CARD_TEST_VELOCITY_LIMIT  = "5"    # distinct PANs per minute per merchant before step-up review
  }
}

resource "aws_cloudwatch_metric_alarm" "throttled_requests" {
  alarm_name          = "payments-api-throttled-spike"
  namespace           = "Acme/PaymentsAPI"
  metric_name         = "ThrottledRequests"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 5000
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = ["arn:aws:sns:us-east-1:111122223333:secops-pager"]
}
