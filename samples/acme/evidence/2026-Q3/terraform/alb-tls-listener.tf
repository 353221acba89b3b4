# services/payments-api/alb.tf (acme/infrastructure @ 4be1f07)

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.payments_public.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
  certificate_arn   = "arn:aws:acm:us-east-1:111122223333:certificate/5b8e2f41-0c7d-4a9e-b3d6-81f2a4c7e9d0"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.payments_edge.arn
  }
}

resource "aws_lb_listener" "http_redirect" {
  load_balancer_arn = aws_lb.payments_public.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb" "payments_public" {
  name                       = "payments-public"
  load_balancer_type         = "application"
  internal                   = false
  drop_invalid_header_fields = true
  enable_deletion_protection = true
  security_groups            = [aws_security_group.alb_payments_public.id]
  subnets                    = module.vpc.public_subnet_ids

  access_logs {
    bucket  = "acme-app-logs-111122223333-us-east-1"
    prefix  = "alb/payments-public"
    enabled = true
  }
}
